package com.pettysync.contract.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicSchemeTest {
    private static final ThingName T = ThingName.of("collar-PS0042");

    @Test
    void buildsTheTopicsOfSection2() {
        assertEquals("pettysync/v1/collar-PS0042/telemetry",
                TopicScheme.telemetry(T, TopicMode.DIRECT, RuleName.DEFAULT).name());
        assertEquals("$aws/rules/pettysync_telemetry/pettysync/v1/collar-PS0042/telemetry",
                TopicScheme.telemetry(T, TopicMode.BASIC_INGEST, RuleName.DEFAULT).name());
        assertEquals("pettysync/v1/collar-PS0042/events", TopicScheme.events(T).name());
        assertEquals("pettysync/v1/collar-PS0042/voice", TopicScheme.voice(T).name());
        assertEquals("$aws/things/collar-PS0042/shadow/name/config/update/delta",
                ShadowTopic.config(T, ShadowOperation.UPDATE_DELTA).name());
        assertEquals("$aws/things/collar-PS0042/jobs/notify-next", JobsTopic.of(T, JobsOperation.NOTIFY_NEXT).name());
        assertEquals("$aws/things/collar-PS0042/jobs/fw-1043/update",
                JobsTopic.of(T, JobsOperation.JOB_UPDATE, "fw-1043").name());
        assertEquals("$aws/things/collar-PS0042/jobs/$next/get",
                JobsTopic.of(T, JobsOperation.JOB_GET, JobsTopic.NEXT).name());
        assertEquals("$aws/things/collar-PS0042/jobs/", TopicScheme.jobsPrefix(T));
    }

    static List<CollarTopic> everyKindOfTopic(ThingName thing) {
        List<CollarTopic> all = new ArrayList<>();
        for (DataStream s : DataStream.values()) {
            all.add(new DataTopic(thing, s));
        }
        all.add(new BasicIngestTopic(RuleName.DEFAULT, thing));
        for (ShadowOperation op : ShadowOperation.values()) {
            all.add(ShadowTopic.config(thing, op));
            all.add(new ShadowTopic(thing, "other:shadow_1", op));
        }
        for (JobsOperation op : JobsOperation.values()) {
            if (op.perJob()) {
                all.add(JobsTopic.of(thing, op, "fw-1043_b"));
                all.add(JobsTopic.of(thing, op, "get"));
                all.add(JobsTopic.of(thing, op, "start-next"));
            } else {
                all.add(JobsTopic.of(thing, op));
            }
        }
        all.add(JobsTopic.of(thing, JobsOperation.JOB_GET, JobsTopic.NEXT));
        all.add(JobsTopic.of(thing, JobsOperation.JOB_GET_ACCEPTED, JobsTopic.NEXT));
        return all;
    }

    @Test
    void everyTopicRoundTrips() {
        List<CollarTopic> all = everyKindOfTopic(T);
        assertEquals(4 + 1 + 22 + 8 + 18 + 2, all.size());
        for (CollarTopic t : all) {
            assertEquals(t, CollarTopic.parse(t.name()), t.name());
        }
    }

    @Property(tries = 300)
    void anyThingNameRoundTripsInEveryTopic(@ForAll("thingNames") String name) {
        ThingName thing = ThingName.of(name);
        for (CollarTopic t : everyKindOfTopic(thing)) {
            if (t instanceof BasicIngestTopic && t.name().length() > TopicScheme.MAX_TOPIC_BYTES) {
                continue;
            }
            CollarTopic parsed = CollarTopic.parse(t.name());
            assertEquals(t, parsed);
            assertEquals(thing, parsed.thing());
        }
    }

    @Provide
    Arbitrary<String> thingNames() {
        return Arbitraries.strings().withChars("abcXYZ0129:_-").ofMinLength(1).ofMaxLength(128);
    }

    @Test
    void parsesBasicIngestIntoRuleAndThing() {
        BasicIngestTopic b = assertInstanceOf(BasicIngestTopic.class,
                CollarTopic.parse("$aws/rules/Dumper_1/pettysync/v1/collar-7/telemetry"));
        assertEquals("Dumper_1", b.rule().value());
        assertEquals("collar-7", b.thing().value());
        assertEquals(new DataTopic(ThingName.of("collar-7"), DataStream.TELEMETRY), b.directEquivalent());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "pettysync/v2/collar-1/telemetry|unsupported contract version 'v2'",
        "pettysync/v1/collar-1/gps|unknown stream 'gps'",
        "pettysync/v1/collar-1|expected pettysync/v1/{thing}",
        "pettysync/v1/collar-1/telemetry/extra|expected pettysync/v1/{thing}",
        "pettysync/v1/collar 1/telemetry|thing name 'collar 1'",
        "pettysync/v1/+/telemetry|MQTT wildcards",
        "pettysync/v1/collar-1/#|MQTT wildcards",
        "pettysync//collar-1/telemetry|empty topic level",
        "/pettysync/v1/collar-1/telemetry|empty topic level",
        "other/topic|not a topic of wire contract v1",
        "$aws/rules/my-rule/pettysync/v1/collar-1/telemetry|rule name 'my-rule'",
        "$aws/rules/r1/pettysync/v1/collar-1/events|only telemetry goes through Basic Ingest",
        "$aws/rules/r1|expected pettysync/v1/{thing}",
        "$aws/rules|not a topic of wire contract v1",
        "$aws/things/collar-1/shadow/update|expected a named shadow",
        "$aws/things/collar-1/shadow/name/config/update/nope|unknown shadow operation 'update/nope'",
        "$aws/things/collar-1/shadow/name/config/merge|unknown shadow operation 'merge'",
        "$aws/things/collar-1/jobs/notify/all|unknown jobs topic 'notify/all'",
        "$aws/things/collar-1/jobs/job.1/update|job id 'job.1'",
        "$aws/things/collar-1/jobs/$next/update|job id '$next'",
        "$aws/things/collar-1/jobs/a/b/c/d|unknown jobs topic",
        "$aws/things/collar-1/tunnels/notify|expected shadow or jobs",
        "$aws/things/collar-1|expected $aws/things/{thing}/shadow",
        "|must not be empty"})
    void rejectsWithAClearReason(String caseLine) {
        String[] parts = caseLine.split("\\|", 2);
        TopicException e = assertThrows(TopicException.class, () -> CollarTopic.parse(parts[0]));
        assertTrue(e.getMessage().contains(parts[1]), e.getMessage());
    }

    @Test
    void enforcesTheAwsSizeAndDepthLimits() {
        assertThrows(TopicException.class, () -> CollarTopic.parse(null));
        TopicException deep = assertThrows(TopicException.class, () -> TopicScheme.checkAwsLimits("a/b/c/d/e/f/g/h/i"));
        assertTrue(deep.getMessage().contains("8 slashes"), deep.getMessage());
        TopicScheme.checkAwsLimits("a/b/c/d/e/f/g/h"); // 7 slashes, 8 levels: allowed
        TopicScheme.checkAwsLimits("$aws/rules/r/a/b/c/d/e/f/g/h"); // rule prefix not counted
        assertThrows(TopicException.class, () -> TopicScheme.checkAwsLimits("$aws/rules/r/a/b/c/d/e/f/g/h/i"));
        String long257 = "x".repeat(257);
        TopicException big = assertThrows(TopicException.class, () -> TopicScheme.checkAwsLimits(long257));
        assertTrue(big.getMessage().contains("257 bytes"), big.getMessage());
        // bytes, not characters: 128 two-byte characters are 256 bytes, 129 are 258
        TopicScheme.checkAwsLimits("é".repeat(128));
        assertThrows(TopicException.class, () -> TopicScheme.checkAwsLimits("é".repeat(129)));
    }

    @Test
    void basicIngestRefusesATopicOver256Bytes() {
        RuleName longRule = RuleName.of("r".repeat(128));
        ThingName longThing = ThingName.of("t".repeat(128));
        TopicException e = assertThrows(TopicException.class, () -> new BasicIngestTopic(longRule, longThing));
        assertTrue(e.getMessage().contains("bytes, AWS IoT Core allows 256"), e.getMessage());
        // the longest thing name still fits with the default rule
        assertTrue(new BasicIngestTopic(RuleName.DEFAULT, longThing).name().length() <= 256);
    }

    @Test
    void jobsTopicChecksItsJobId() {
        assertThrows(TopicException.class, () -> JobsTopic.of(T, JobsOperation.JOB_UPDATE));
        assertThrows(TopicException.class, () -> JobsTopic.of(T, JobsOperation.NOTIFY_NEXT, "j1"));
        assertThrows(TopicException.class, () -> JobsTopic.of(T, JobsOperation.JOB_UPDATE, "x".repeat(65)));
        assertThrows(TopicException.class, () -> new ShadowTopic(T, "s".repeat(65), ShadowOperation.GET));
        assertThrows(TopicException.class, () -> new ShadowTopic(T, "a/b", ShadowOperation.GET));
    }

    @Test
    void collarSubscriptionsAreValidFiltersOfItsOwnThing() {
        List<String> subs = TopicScheme.collarSubscriptions(T);
        assertEquals(12, subs.size());
        for (String s : subs) {
            TopicScheme.checkAwsLimits(s);
            assertTrue(s.startsWith("$aws/things/collar-PS0042/"), s);
            if (!s.contains("+")) {
                CollarTopic parsed = CollarTopic.parse(s);
                assertEquals(T, parsed.thing());
            }
        }
    }

    @Test
    void requestDirectionIsKnown() {
        assertTrue(ShadowOperation.UPDATE.isRequest());
        assertTrue(!ShadowOperation.UPDATE_DELTA.isRequest());
        assertTrue(JobsOperation.JOB_UPDATE.isRequest());
        assertTrue(!JobsOperation.NOTIFY_NEXT.isRequest());
    }

    @Test
    void everyCollarFilterMatchesEachCollarsDataTopicWithTheThingAtItsLevel() {
        assertEquals("pettysync/v1/+/telemetry", TopicScheme.everyCollarFilter(DataStream.TELEMETRY));
        assertEquals("pettysync/v1/+/voice", TopicScheme.everyCollarFilter(DataStream.VOICE));
        assertEquals("pettysync/v1/+/raw", TopicScheme.everyCollarFilter(DataStream.RAW));
        assertEquals("pettysync/v1/collar-PS0042/raw", TopicScheme.raw(T).name());
        for (DataStream stream : DataStream.values()) {
            String[] filter = TopicScheme.everyCollarFilter(stream).split("/");
            String[] topic = new DataTopic(T, stream).name().split("/");
            assertEquals(topic.length, filter.length);
            assertEquals("+", filter[TopicScheme.DATA_TOPIC_THING_LEVEL - 1]);
            assertEquals(T.value(), topic[TopicScheme.DATA_TOPIC_THING_LEVEL - 1]);
        }
    }
}
