package com.pettysync.contract.job;

/**
 * What a collar knows about itself when it decides on a job: the versions it runs, its free space, its battery.
 *
 * @param firmwareBuild running firmware/agent build
 * @param modelVersion running mood model version
 * @param freeSpaceBytes free space where artifacts are downloaded, bytes
 * @param batteryPct battery charge, 0 … 100 %
 */
public record CollarFacts(long firmwareBuild, long modelVersion, long freeSpaceBytes, int batteryPct) {}
