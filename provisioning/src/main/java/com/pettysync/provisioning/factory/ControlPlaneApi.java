package com.pettysync.provisioning.factory;

/**
 * The AWS IoT control-plane calls the factory tool makes, each with AWS IoT Core's default per-account rate quota
 * in requests per second: the Service Quotas defaults of {@code iotcore} ("CreateCertificateFromCsr API TPS"
 * L-01BCDDCA = 15, "CreateThing API TPS" L-64CBACAC = 100, …; provisioning/README.md lists each with its source).
 * DescribeEndpoint, DescribeThingType/-Group and the provisioning-template calls have no published default we
 * could find: 10, the value of their neighbours, is assumed. {@link RateLimits} keeps a run under them; the account may have
 * raised quotas, hence {@code --rate-scale}.
 */
public enum ControlPlaneApi {
    CREATE_THING(100),
    DESCRIBE_THING(350),
    UPDATE_THING(100),
    DELETE_THING(100),
    LIST_THING_PRINCIPALS(20),
    CREATE_CERTIFICATE_FROM_CSR(15),
    DESCRIBE_CERTIFICATE(10),
    UPDATE_CERTIFICATE(10),
    DELETE_CERTIFICATE(10),
    LIST_CERTIFICATES(10),
    ATTACH_POLICY(15),
    DETACH_POLICY(15),
    LIST_ATTACHED_POLICIES(15),
    ATTACH_THING_PRINCIPAL(100),
    DETACH_THING_PRINCIPAL(100),
    ADD_THING_TO_THING_GROUP(100),
    CREATE_THING_TYPE(15),
    DESCRIBE_THING_TYPE(10),
    CREATE_THING_GROUP(25),
    DESCRIBE_THING_GROUP(10),
    CREATE_POLICY(10),
    GET_POLICY(10),
    CREATE_POLICY_VERSION(10),
    LIST_POLICY_VERSIONS(10),
    DELETE_POLICY_VERSION(10),
    CREATE_PROVISIONING_TEMPLATE(10),
    DESCRIBE_PROVISIONING_TEMPLATE(10),
    DESCRIBE_ENDPOINT(10);

    private final double perSecond;

    ControlPlaneApi(double perSecond) {
        this.perSecond = perSecond;
    }

    /** AWS's default quota for this call, requests per second per account and region. */
    public double perSecond() {
        return perSecond;
    }
}
