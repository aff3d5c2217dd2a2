package dev.ambassadorlab.labtests;

import dev.ambassadorlab.labtests.exercises.Exercise;
import dev.ambassadorlab.labtests.exercises.Overlays;
import dev.ambassadorlab.labtests.pod.LabPod;
import dev.ambassadorlab.labtests.pod.PodVariant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Every scenario runs against the one shared pod, put back to normal before it starts. A scenario class is tagged with
 * the exercise it checks ("exercise-02"): `./lab check 02` runs it with the learner's code for that exercise.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@ExtendWith(ScenarioLog.class)
public abstract class ChaosTest {
    /** The caller's header for "a fresh answer or an error": the stale fallback stays out of the way. */
    static final String[] NO_STALE = {"Cache-Control", "no-cache"};
    private static volatile boolean skipTheRest;
    protected final LabPod pod = LabPod.get();

    /** The warm check has its verdict (a unit test failed): the scenarios not yet started are skipped. */
    public static void skipTheRest(boolean skip) {
        skipTheRest = skip;
    }

    @BeforeEach
    void prepareThePod() {
        Assumptions.assumeFalse(skipTheRest, "the check has its verdict: a unit test failed");
        pod.use(variant());
        pod.reset();
    }

    /** The pod a class of scenarios runs against, for a warm check that starts it while the unit tests run. */
    public static PodVariant variantOf(Class<?> scenarios) {
        try {
            var constructor = scenarios.asSubclass(ChaosTest.class).getDeclaredConstructor();
            constructor.setAccessible(true);
            ChaosTest scenario = constructor.newInstance();
            return scenario.variant();
        } catch (ReflectiveOperationException unusable) {
            throw new IllegalStateException(scenarios + " cannot be made for its pod's settings", unusable);
        }
    }

    private PodVariant variant() {
        return Overlays.variantFor(exercise(), ambassadorSettings(), appSettings());
    }

    /** Settings for the ambassador in this class's scenarios, over the pod's own; other settings restart it. */
    protected Map<String, String> ambassadorSettings() {
        return Map.of();
    }

    /** Settings for the app in this class's scenarios, over the pod's own. */
    protected Map<String, String> appSettings() {
        return Map.of();
    }

    /** A setting in milliseconds, as a Duration: failure messages quote the settings, never a copy of them. */
    static Duration millis(Map<String, String> settings, String name) {
        return Duration.ofMillis(Long.parseLong(settings.get(name)));
    }

    /** "0.5 s", "2 s": a duration as the failure messages say it. */
    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    private Exercise exercise() {
        Tag[] tags = getClass().getAnnotationsByType(Tag.class);
        return Exercise.fromTags(Arrays.stream(tags).map(Tag::value).toList()).orElse(null);
    }
}
