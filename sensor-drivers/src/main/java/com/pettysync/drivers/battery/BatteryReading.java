package com.pettysync.drivers.battery;

/** Cell voltage in volts and state of charge in percent (may exceed 100 slightly, as the gauge reports it). */
public record BatteryReading(long tNanos, double volts, double stateOfChargePercent) {
}
