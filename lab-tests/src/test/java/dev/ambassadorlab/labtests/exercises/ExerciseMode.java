package dev.ambassadorlab.labtests.exercises;

/**
 * Whose code the scenarios run against. FINISHED: the services as built (from solutions/). EXERCISES: each
 * scenario's exercise files from exercises/ replace the finished ones, so `./lab check NN` tests the learner's code
 * with every other part finished. Chosen by the system property lab.check=exercises, or by the kata proof.
 */
public final class ExerciseMode {
    private static volatile Boolean override;

    private ExerciseMode() {
    }

    public static boolean exercises() {
        if (override != null) return override;
        return "exercises".equalsIgnoreCase(System.getProperty("lab.check", "finished").trim());
    }

    /** For the kata proof: run the next scenarios against the exercise files (true) or the finished services. */
    public static void override(Boolean useExercises) {
        override = useExercises;
    }
}
