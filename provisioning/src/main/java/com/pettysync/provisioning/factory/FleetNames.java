package com.pettysync.provisioning.factory;

import java.util.List;

/** The fleet's resource names in the account. */
public final class FleetNames {
    public static final String THING_TYPE = "pettysync-collar";
    public static final String COLLAR_POLICY = "pettysync-collar";
    public static final String CLAIM_POLICY = "pettysync-claim";
    public static final String CLAIM_TEMPLATE = "pettysync-collar-claim";
    public static final String FLEET_GROUP = "pettysync-fleet";
    public static final List<String> SEARCHABLE_ATTRIBUTES = List.of("hardwareRevision", "batch", "line");

    private FleetNames() {}
}
