package com.pettysync.drivers.twin;

/** The sound the dog is making right now. */
public enum Vocalization { NONE, BARK, GROWL, WHINE, HOWL }
