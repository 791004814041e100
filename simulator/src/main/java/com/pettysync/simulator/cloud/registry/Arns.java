package com.pettysync.simulator.cloud.registry;

/**
 * The ARNs of one account and region's IoT resources ({@code arn:aws:iot:REGION:ACCOUNT:TYPE/NAME}), and the reverse.
 *
 * @param region  e.g. {@code us-east-1}
 * @param account 12 digits
 */
public record Arns(String region, String account) {
    public String thing(String name) {
        return of("thing", name);
    }

    public String thingType(String name) {
        return of("thingtype", name);
    }

    public String thingGroup(String name) {
        return of("thinggroup", name);
    }

    public String certificate(String id) {
        return of("cert", id);
    }

    public String policy(String name) {
        return of("policy", name);
    }

    public String provisioningTemplate(String name) {
        return of("provisioningtemplate", name);
    }

    public String job(String id) {
        return of("job", id);
    }

    /**
     * The resource name of {@code arn} if it is an ARN of {@code type} in this account and region
     * ({@code thing}, {@code thinggroup}, {@code cert} …), else null.
     */
    public String nameIn(String arn, String type) {
        String prefix = of(type, "");
        if (arn == null || !arn.startsWith(prefix) || arn.length() == prefix.length()) {
            return null;
        }
        return arn.substring(prefix.length());
    }

    private String of(String type, String name) {
        return "arn:aws:iot:" + region + ":" + account + ":" + type + "/" + name;
    }
}
