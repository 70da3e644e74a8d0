package dev.vigil.sim;

import java.util.List;

/** The physics of one machine kind: produces successive blocks of clean (pre-sensor-fault) signal. */
interface MachineModel {

    List<ChannelInfo> channels();

    /** ADC of each channel, or null for digital tags that are not quantised. */
    List<Adc> adcs();

    /**
     * Fills the next block.
     *
     * @param startS recording time of the block start
     * @param severity severity of each machine fault in the simulation's fault list (sensor faults are 0 here)
     * @param out one array per channel, already sized
     */
    void fill(double startS, double[] severity, float[][] out);
}
