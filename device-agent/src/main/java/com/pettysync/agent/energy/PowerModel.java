package com.pettysync.agent.energy;

import com.pettysync.drivers.position.GnssPowerMode;

/**
 * What each component of the reference collar ({@code shared/hardware.md}) draws, in milliwatts or millijoules
 * <em>added to the board's idle floor</em>. The figures and their sources are in the device-agent README ("Energy
 * account"); where a datasheet gives a current, the power is that current times the part's supply voltage. They are
 * a model, not a measurement: the account multiplies them by the agent's own counters.
 *
 * @param idleFloorMw          the board's idle floor: Pi Zero 2 W tuned (HDMI, LEDs, Bluetooth off), 375 mW
 * @param cpuCoreMw            one Cortex-A53 core busy, above idle
 * @param radioPerExchangeMj   one radio exchange (a publish and its PUBACK, a ping, a received message): the
 *                             Wi-Fi chip's wake-up and its power-save tail
 * @param radioPerByteUj       one byte on the air, transmit
 * @param radioHandshakeMj     one TLS 1.2/1.3 connection set-up with mutual authentication (about 4 round trips and
 *                             6 KB of certificates), on top of its bytes
 * @param gnssLiveMw           u-blox M10 continuous tracking (1 Hz)
 * @param gnssNormalMw         cyclic tracking, a fix every 10 s (PSMCT)
 * @param gnssEcoMw            on/off, a fix every 60 s (PSMOO)
 * @param gnssOffMw            backup mode (RXM-PMREQ)
 * @param ppgMw                MAX30102 at 100 samples/s with its LEDs
 * @param imuMw                LSM6DSOX accelerometer at 52 Hz, high-performance mode, pedometer on
 * @param micMw                I2S MEMS microphone capturing (SPH0645LM4H)
 * @param gaugeMw              MAX17048 active
 * @param batteryVolts         nominal cell voltage (Li-ion / LiPo)
 * @param converterEfficiency  the 5 V boost converter between cell and board
 */
public record PowerModel(double idleFloorMw, double cpuCoreMw, double radioPerExchangeMj, double radioPerByteUj,
        double radioHandshakeMj, double gnssLiveMw, double gnssNormalMw, double gnssEcoMw, double gnssOffMw,
        double ppgMw, double imuMw, double micMw, double gaugeMw, double batteryVolts, double converterEfficiency) {

    /** The reference collar: Pi Zero 2 W, CYW43439 Wi-Fi, u-blox M10, MAX30102, LSM6DSOX, SPH0645, MAX17048. */
    public static final PowerModel REFERENCE = new PowerModel(
            375.0,   // Pi Zero 2 W idle, tuned: 75 mA at 5 V (cnx-software, Otii Arc, 2021-12-09)
            350.0,   // one A53 core busy at 1 GHz: (4-core load − idle) / 4, same source; see README
            40.0,    // CYW43439 power-save exit + tail: ~200 ms at ~60 mA, 3.3 V (datasheet: PM1 mode; see README)
            0.8,     // transmit ~300 mA at 3.3 V, ~10 Mbit/s effective: ~0.1 µJ/bit
            160.0,   // 4 exchanges
            25.0,    // MAX-M10S: "25 mW in continuous tracking" (u-blox UBX-20035208, product summary)
            9.0,     // PSMCT 10 s: tracking ~1/3 of the time (UBX-20035208 §power save; estimate)
            3.0,     // PSMOO 60 s: hot start + a few s of tracking per minute (estimate)
            0.12,    // V_BCKP backup current ~40 µA at 3 V
            2.8,     // 0.6 mA at 1.8 V (datasheet Table "Electrical characteristics") + 2 LEDs 6.4 mA × 4.1 % duty at 3.3 V
            0.31,    // 170 µA at 1.8 V, accelerometer HP 52 Hz (LSM6DSOX datasheet Table 3 / AN5272)
            1.98,    // 600 µA at 3.3 V (SPH0645LM4H-B datasheet, supply current)
            0.085,   // 23 µA at 3.7 V (MAX17048 datasheet, active current)
            3.7,
            0.9);

    /** Receiver power in {@code mode}. */
    public double gnssMw(GnssPowerMode mode) {
        if (mode == null) {
            return 0;
        }
        return switch (mode) {
            case OFF -> gnssOffMw;
            case ECO -> gnssEcoMw;
            case NORMAL -> gnssNormalMw;
            case LIVE -> gnssLiveMw;
        };
    }
}
