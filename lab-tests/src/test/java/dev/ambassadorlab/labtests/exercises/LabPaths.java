package dev.ambassadorlab.labtests.exercises;

import dev.ambassadorlab.labtests.pod.LabPod;

import java.nio.file.Path;

/** Paths as a learner types them: relative to the lab's root. */
final class LabPaths {
    private LabPaths() {
    }

    static String relative(Path path) {
        return LabPod.ROOT.relativize(path.toAbsolutePath().normalize()).toString();
    }
}
