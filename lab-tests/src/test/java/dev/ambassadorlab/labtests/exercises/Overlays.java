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

    /**
     * The overlay the exercise's scenarios use from now on, compiled by the caller: a warm check compiles each try
     * itself (a jar of its own per try, so the service restarts with the new code).
     */
    public static void use(Exercise exercise, Path overlay) {
        COMPILED.put(exercise, overlay);
    }

    /** The next scenarios of the exercise compile its files again: a cold check, after warm ones. */
    public static void forget(Exercise exercise) {
        COMPILED.remove(exercise);
    }

    private static Path compile(Exercise exercise) {
        return OverlayCompiler.compile(exercise.exerciseDir().resolve("src"), serviceDir(exercise),
                LabPod.ROOT.resolve("lab-tests/target/overlays/" + exercise.number() + ".jar"));
    }

    /** The module the exercise's code belongs to (ambassador/ or app/). */
    public static Path serviceDir(Exercise exercise) {
        return LabPod.ROOT.resolve(exercise.service() == Exercise.Service.APP ? "app" : "ambassador");
    }
}
