package com.pettysync.drivers.twin;

import java.time.Instant;

/**
 * The dog at one instant, as the {@link DogBehaviourModel} sees it.
 *
 * @param heartRateBpm beats per minute: about 60–75 asleep, 70–120 resting, up to 220 running
 * @param cadenceStepsPerMinute footfalls per minute (0 at rest); the accelerometer twin oscillates at cadence/60 Hz
 * @param place HOME, ROUTE (walking to or from the park) or PARK
 */
public record DogState(Instant time, Activity activity, int heartRateBpm, double cadenceStepsPerMinute,
        Vocalization vocalization, double latitude, double longitude, Place place) {

    public enum Place { HOME, ROUTE, PARK }
}
