package dev.ambassadorlab.labtests.exercises;

import dev.ambassadorlab.labtests.pod.LabPod;
import dev.ambassadorlab.labtests.pod.PodVariant;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The pod a scenario runs against: finished, or with its exercise's code compiled in front of the finished service. */
public final class Overlays {
    private static final Map<Exercise, Path> COMPILED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    public static PodVariant variantFor(Exercise exercise, Map<String, String> ambassadorSettings,
                                        Map<String, String> appSettings) {
        PodVariant finished = PodVariant.FINISHED.withSettings(ambassadorSettings, appSettings);
        if (exercise == null || !ExerciseMode.exercises() || exercise.service() == Exercise.Service.NONE) return finished;
        Path overlay = COMPILED.computeIfAbsent(exercise, Overlays::compile);
        return exercise.service() == Exercise.Service.APP
                ? finished.withOverlays(null, overlay)
                : finished.withOverlays(overlay, null);
    }

    private static Path compile(Exercise exercise) {
        String module = exercise.service() == Exercise.Service.APP ? "app" : "ambassador";
        return OverlayCompiler.compile(exercise.exerciseDir().resolve("src"), LabPod.ROOT.resolve(module),
                LabPod.ROOT.resolve("lab-tests/target/overlays/" + exercise.number() + ".jar"));
    }
}
