package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every scenario runs against the one shared pod, put back to normal before it starts. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@ExtendWith(ScenarioLog.class)
abstract class ChaosTest {
    /** The caller's header for "a fresh answer or an error": the stale fallback stays out of the way. */
    static final String[] NO_STALE = {"Cache-Control", "no-cache"};
    protected final LabPod pod = LabPod.get();

    @BeforeEach
    void resetThePod() {
        pod.reset();
    }
}
