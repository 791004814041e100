package com.pettysync.drivers;

/**
 * A sensor cannot deliver right now. Carries a {@link FaultCode}; the poller turns it into a fault status and
 * retries with back-off. Never means "stop the collar".
 */
public final class SensorFault extends Exception {
    private static final long serialVersionUID = 1L;
    private final FaultCode code;

    public SensorFault(FaultCode code, String message) {
        super(message);
        this.code = code;
    }

    public SensorFault(FaultCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A bus failure seen while talking to {@code part}: {@link FaultCode#NO_ACK}, {@link FaultCode#UNAVAILABLE} or
     * {@link FaultCode#BUS_ERROR}. */
    public static SensorFault of(String part, com.pettysync.drivers.bus.BusException e) {
        FaultCode code = e.unavailable() ? FaultCode.UNAVAILABLE : e.noAck() ? FaultCode.NO_ACK : FaultCode.BUS_ERROR;
        return new SensorFault(code, part + ": " + e.getMessage(), e);
    }

    public FaultCode code() {
        return code;
    }
}
