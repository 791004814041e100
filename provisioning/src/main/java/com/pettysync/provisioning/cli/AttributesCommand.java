package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.provisioning.factory.AttributeRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.iot.IotClient;

/** {@code provision attributes}: update a collar's deployment record (thing attributes). */
@Command(name = "attributes", mixinStandardHelpOptions = true,
        description = "Set thing attributes of a collar (UpdateThing, merged with the existing ones); KEY= with no "
                + "value removes KEY. E.g. dogProfile=dp-4711 after the collar is paired with a dog.")
final class AttributesCommand extends ControlPlaneCommand {
    @Option(names = "--thing", paramLabel = "collar-SERIAL", required = true, description = "the thing name")
    String thingName;

    @Parameters(paramLabel = "KEY=VALUE", arity = "1..*", description = "attributes to set (KEY= removes)")
    List<String> pairs;

    @Override
    int execute() {
        ThingName thing = thing(thingName);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("\"" + p + "\" is not KEY=VALUE");
            }
            attributes.put(p.substring(0, eq), p.substring(eq + 1));
        }
        try {
            AttributeRules.AWS.check(attributes);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        try (IotClient iot = controlPlane.client(2, List.of())) {
            iot.updateThing(r -> r.thingName(thing.value()).attributePayload(a -> a.attributes(attributes)
                    .merge(true)));
            var t = iot.describeThing(r -> r.thingName(thing.value()));
            if (controlPlane.json) {
                ObjectNode j = JSON.createObjectNode();
                j.put("thing", t.thingName());
                ObjectNode a = j.putObject("attributes");
                new java.util.TreeMap<>(t.attributes()).forEach(a::put);
                printJson(j);
            } else {
                out().println(t.thingName() + ": attributes now " + new java.util.TreeMap<>(t.attributes()));
            }
            return 0;
        }
    }
}
