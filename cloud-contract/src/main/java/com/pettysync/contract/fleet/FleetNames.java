package com.pettysync.contract.fleet;

import java.util.regex.Pattern;

/**
 * The names of the fleet's AWS IoT resources, in one place: the factory tool ({@code ./pettysync provision …}, AWS
 * SDK) creates them under these names and the CloudFormation template ({@code FleetStack} in the provisioning
 * module) declares them under the same names, so the two cannot drift apart. {@link #STANDARD} is the product's
 * set; another set (a staging account, a test stack) is a new instance, validated by AWS's rules:
 *
 * <table>
 *   <caption>name rules (AWS IoT API reference)</caption>
 *   <tr><th>name</th><th>rule</th><th>source</th></tr>
 *   <tr><td>thing type, thing group</td><td>1–128 of {@code [a-zA-Z0-9:_-]}</td>
 *       <td>CreateThingType {@code thingTypeName}, CreateThingGroup {@code thingGroupName}</td></tr>
 *   <tr><td>policies</td><td>1–128 of {@code [\w+=,.@-]}</td><td>CreatePolicy {@code policyName}</td></tr>
 *   <tr><td>provisioning template</td><td>1–36 of {@code [0-9A-Za-z_-]}</td>
 *       <td>CreateProvisioningTemplate {@code templateName}</td></tr>
 * </table>
 *
 * @param thingType the collars' thing type ({@code pettysync-collar}); its searchable attributes are
 *     {@link CollarAttribute#searchable()}
 * @param collarPolicy the AWS IoT policy attached to every collar certificate ({@code pettysync-collar}, the
 *     document of {@code com.pettysync.contract.policy.IotPolicy})
 * @param claimPolicy the AWS IoT policy of the shared claim certificate ({@code pettysync-claim}, {@link ClaimPolicy})
 * @param provisioningTemplate the fleet-provisioning template collars register with ({@code pettysync-collar-claim},
 *     {@link ProvisioningTemplateBody})
 * @param defaultThingGroup the thing group every collar joins when it is created ({@code pettysync-fleet})
 */
public record FleetNames(String thingType, String collarPolicy, String claimPolicy, String provisioningTemplate,
        String defaultThingGroup) {

    private static final Pattern THING_TYPE_OR_GROUP = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final Pattern POLICY = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern TEMPLATE = Pattern.compile("[0-9A-Za-z_-]{1,36}");

    /** The product's resource names (declared after the patterns it is checked with). */
    public static final FleetNames STANDARD = new FleetNames("pettysync-collar", "pettysync-collar", "pettysync-claim",
            "pettysync-collar-claim", "pettysync-fleet");

    /** @throws FleetValueException naming the first name that breaks its AWS rule */
    public FleetNames {
        check("thingType", thingType, THING_TYPE_OR_GROUP, "must be 1–128 characters of [a-zA-Z0-9:_-]");
        check("collarPolicy", collarPolicy, POLICY, "must be 1–128 characters of [a-zA-Z0-9_+=,.@-]");
        check("claimPolicy", claimPolicy, POLICY, "must be 1–128 characters of [a-zA-Z0-9_+=,.@-]");
        check("provisioningTemplate", provisioningTemplate, TEMPLATE, "must be 1–36 characters of [0-9A-Za-z_-]");
        check("defaultThingGroup", defaultThingGroup, THING_TYPE_OR_GROUP,
                "must be 1–128 characters of [a-zA-Z0-9:_-]");
        if (collarPolicy.equals(claimPolicy)) {
            throw new FleetValueException("claimPolicy", "must differ from collarPolicy (" + collarPolicy + ")");
        }
    }

    private static void check(String field, String value, Pattern rule, String words) {
        if (value == null || !rule.matcher(value).matches()) {
            throw new FleetValueException(field, FleetValueException.quote(value) + " " + words);
        }
    }
}
