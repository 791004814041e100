package com.pettysync.contract.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pettysync.contract.topic.BasicIngestTopic;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import org.junit.jupiter.api.Test;

class TelemetryRuleTest {

    @Test
    void selectsTheBase64FrameTheThingAndTheReceiveTimeFromEveryCollarsTelemetry() {
        assertEquals("SELECT encode(*, 'base64') AS frame, topic(3) AS thing, timestamp() AS receivedMs "
                + "FROM 'pettysync/v1/+/telemetry'", TelemetryRule.sql());
        assertEquals("2016-03-23", TelemetryRule.SQL_VERSION);
    }

    @Test
    void topicLevelThreeIsTheThingOfABasicIngestTopicWithoutItsRulePrefix() {
        BasicIngestTopic t = new BasicIngestTopic(RuleName.DEFAULT, ThingName.of("collar-PS0042"));
        String seenByRule = t.name().substring(("$aws/rules/" + RuleName.DEFAULT.value() + "/").length());
        assertEquals(t.directEquivalent().name(), seenByRule);
        assertEquals("collar-PS0042", seenByRule.split("/")[TopicScheme.DATA_TOPIC_THING_LEVEL - 1]);
    }
}
