package dev.ambassadorlab.labtests.exercises;

import dev.ambassadorlab.labtests.pod.LabPod;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;

/**
 * The exercises: where each one's files live, which service its code belongs to, and a word its check's failure
 * must name, so the kata proof can tell that an untouched starter fails for the right reason.
 */
public enum Exercise {
    FIRST_CONTACT("01-first-contact", Service.APP, "JSON"),
    RETRIES("02-retries", Service.AMBASSADOR, "retr"),
    TIMEOUTS("03-timeouts", Service.AMBASSADOR, "Timeout"),
    CIRCUIT_BREAKER("04-circuit-breaker", Service.AMBASSADOR, "breaker"),
    METRICS("05-metrics", Service.AMBASSADOR, "/metrics"),
    RETRY_AFTER_AND_BUDGET("06-retry-after-and-budget", Service.AMBASSADOR, "Retry"),
    SECURITY_OFFLOAD("07-security-offload", Service.AMBASSADOR, "refuse"),
    FALLBACK("08-fallback", Service.AMBASSADOR, "stale"),
    BULKHEAD("09-bulkhead", Service.AMBASSADOR, "bulkhead"),
    SIDECAR_DEPLOYMENT("10-sidecar-deployment", Service.NONE, "sidecar"),
    HEDGED_REQUESTS("11-hedged-requests", Service.AMBASSADOR, "hedg"),
    DEADLINE_PROPAGATION("12-deadline-propagation", Service.AMBASSADOR, "deadline"),
    RETRY_STORMS("13-retry-storms", Service.APP, "retr");

    /** Where an exercise's code runs: its files replace the finished ones in that service. */
    public enum Service { APP, AMBASSADOR, NONE }

    /** The JUnit tag on the scenarios that check an exercise; `./lab check NN` runs exactly those. */
    public static final String TAG_PREFIX = "exercise-";

    private final String dir;
    private final Service service;
    private final String behaviourWord;

    Exercise(String dir, Service service, String behaviourWord) {
        this.dir = dir;
        this.service = service;
        this.behaviourWord = behaviourWord;
    }

    public String number() {
        return dir.substring(0, 2);
    }

    public String tag() {
        return TAG_PREFIX + number();
    }

    public Service service() {
        return service;
    }

    /** A word that a failed check of this exercise always contains. */
    public String behaviourWord() {
        return behaviourWord;
    }

    /** The learner's copy (a starter until it is solved). */
    public Path exerciseDir() {
        return LabPod.ROOT.resolve("exercises").resolve(dir);
    }

    /** The solved copy; the finished services are built from these. */
    public Path solutionDir() {
        return LabPod.ROOT.resolve("solutions").resolve(dir);
    }

    public static Exercise byNumber(String number) {
        return Arrays.stream(values()).filter(exercise -> exercise.number().equals(number)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no exercise " + number));
    }

    public static Optional<Exercise> fromTags(Collection<String> tags) {
        return Arrays.stream(values()).filter(exercise -> tags.contains(exercise.tag())).findFirst();
    }
}
