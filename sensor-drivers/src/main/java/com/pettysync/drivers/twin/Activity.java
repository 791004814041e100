package com.pettysync.drivers.twin;

/** What the dog is doing. */
public enum Activity { SLEEP, REST, WALK, RUN, PLAY }
