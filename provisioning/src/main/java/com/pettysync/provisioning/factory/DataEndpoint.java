package com.pettysync.provisioning.factory;

/**
 * The MQTT endpoint collars connect to, as DescribeEndpoint({@code iot:Data-ATS}) answers it: AWS answers a bare
 * host name (port 8883, or 443 with ALPN), the local IoT Core {@code host:port}.
 */
public record DataEndpoint(String host, int port) {
    public static final int MQTT_TLS_PORT = 8883;

    public DataEndpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("endpoint host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("endpoint port must be 1-65535, got " + port);
        }
    }

    /** Parses {@code host} or {@code host:port}. */
    public static DataEndpoint parse(String address) {
        if (address == null) {
            throw new IllegalArgumentException("DescribeEndpoint returned no address");
        }
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return new DataEndpoint(address, MQTT_TLS_PORT);
        }
        try {
            return new DataEndpoint(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("endpoint \"" + address + "\" has a port that is not a number");
        }
    }
}
