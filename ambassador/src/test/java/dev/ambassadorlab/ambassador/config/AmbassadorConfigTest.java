package dev.ambassadorlab.ambassador.config;

import dev.ambassadorlab.ambassador.security.Origin;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AmbassadorConfigTest {

    @Test
    void everyDefaultKeepsTheLabsPortsAndTheCatApi() {
        var config = AmbassadorConfig.defaults();

        assertThat(config.port()).isEqualTo(5001);
        assertThat(config.adminPort()).isEqualTo(9901);
        assertThat(config.catApiUrl()).hasToString("https://api.thecatapi.com/");
        assertThat(config.imageOrigins()).extracting(Origin::toString)
                .containsExactly("https://api.thecatapi.com:443", "https://cdn2.thecatapi.com:443");
        assertThat(config.imagesDir()).isEqualTo(Path.of("images").toAbsolutePath());
        assertThat(config.maxRetries()).isEqualTo(2);
        assertThat(config.attemptTimeout()).isLessThan(config.requestDeadline());
        assertThat(config.apiKey().isPresent()).isFalse();
    }

    @Test
    void readsEachVariable() {
        var config = AmbassadorConfig.fromEnv(Map.of(
                "AMBASSADOR_PORT", "7001", "CAT_API_URL", "http://mock:8080/", "IMAGE_HOSTS", "mock, http://CDN.example.org:81",
                "RETRY_MAX_RETRIES", "4", "ATTEMPT_TIMEOUT_MS", "1_500", "RETRY_BUDGET_RATIO", "0.5",
                "FALLBACK_ENABLED", "no", "BULKHEAD_MAX_CONCURRENT", "3"));

        assertThat(config.port()).isEqualTo(7001);
        assertThat(config.catApiUrl()).hasToString("http://mock:8080/");
        assertThat(config.imageOrigins()).extracting(Origin::toString)
                .containsExactly("http://mock:8080", "https://mock:443", "http://cdn.example.org:81");
        assertThat(config.maxRetries()).isEqualTo(4);
        assertThat(config.attemptTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.retryBudgetRatio()).isEqualTo(0.5);
        assertThat(config.fallbackEnabled()).isFalse();
        assertThat(config.bulkheadMaxConcurrent()).isEqualTo(3);
    }

    @Test
    void aBadValueStopsTheStartWithTheVariableTheValueAndTheAcceptedRange() {
        assertThatThrownBy(() -> AmbassadorConfig.fromEnv(Map.of("RETRY_MAX_RETRIES", "ten")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("RETRY_MAX_RETRIES=\"ten\" is not valid: expected a whole number from 0 to 10")
                .hasMessageContaining("default, 2");
    }

    @Test
    void theHedgeDelayIsAutoOrWholeMilliseconds() {
        assertThat(AmbassadorConfig.defaults().hedgeRequests()).as("hedging is asked for, not on by default").isFalse();
        assertThat(AmbassadorConfig.defaults().hedgeDelay()).as("auto: the p95 of recent attempts").isNull();
        assertThat(AmbassadorConfig.fromEnv(Map.of("HEDGE_DELAY_MS", "auto")).hedgeDelay()).isNull();
        assertThat(AmbassadorConfig.fromEnv(Map.of("HEDGE_DELAY_MS", "150")).hedgeDelay())
                .isEqualTo(Duration.ofMillis(150));
        for (String bad : new String[]{"0", "60001", "+150", "1e3", "٣٠٠", "AUTO"}) {
            assertThatThrownBy(() -> AmbassadorConfig.fromEnv(Map.of("HEDGE_DELAY_MS", bad))).as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("HEDGE_DELAY_MS=\"" + bad + "\" is not valid: expected auto, or a whole "
                            + "number of milliseconds from 1 to 60000");
        }
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var failure = catchThrowableOfType(ConfigException.class, () -> AmbassadorConfig.fromEnv(Map.of(
                "AMBASSADOR_PORT", "70000", "CAT_API_URL", "ftp://cats", "RETRY_BUDGET_RATIO", "lots",
                "FALLBACK_ENABLED", "maybe", "BREAKER_OPEN_MS", "-1")));

        assertThat(failure.problems()).hasSize(5);
        assertThat(failure.getMessage()).contains("AMBASSADOR_PORT=\"70000\"", "from 0 to 65535",
                "CAT_API_URL=\"ftp://cats\"", "http:// or https://", "RETRY_BUDGET_RATIO=\"lots\"",
                "FALLBACK_ENABLED=\"maybe\"", "true or false", "BREAKER_OPEN_MS=\"-1\"");
    }

    @Test
    void settingsThatContradictEachOtherAreRefused() {
        var failure = catchThrowableOfType(ConfigException.class, () -> AmbassadorConfig.fromEnv(Map.of(
                "ATTEMPT_TIMEOUT_MS", "9000", "REQUEST_DEADLINE_MS", "3000",
                "RETRY_BASE_DELAY_MS", "500", "RETRY_MAX_DELAY_MS", "100", "IMAGE_HOSTS", " , ",
                "AMBASSADOR_PORT", "7000", "ADMIN_PORT", "7000")));

        assertThat(failure.problems()).hasSize(4);
        assertThat(failure.getMessage()).contains("ATTEMPT_TIMEOUT_MS (9000) is longer than REQUEST_DEADLINE_MS (3000)",
                "RETRY_BASE_DELAY_MS (500) is larger than RETRY_MAX_DELAY_MS (100)", "IMAGE_HOSTS is empty",
                "AMBASSADOR_PORT and ADMIN_PORT are both 7000");
    }

    @Test
    void blankValuesCountAsUnset() {
        assertThat(AmbassadorConfig.fromEnv(Map.of("RETRY_MAX_RETRIES", " ", "CAT_API_URL", "")))
                .isEqualTo(AmbassadorConfig.defaults());
    }

    @Test
    void theProxyListensOnLoopbackAndTheAdminPortEverywhereByDefault() {
        var config = AmbassadorConfig.defaults();

        assertThat(config.bindAddress().isLoopbackAddress()).as("the key-adding proxy: this host only").isTrue();
        assertThat(config.adminBindAddress().isAnyLocalAddress()).as("metrics and probes: every interface").isTrue();
    }

    @Test
    void bindAddressesAreIpLiteralsNeverLookedUp() {
        var config = AmbassadorConfig.fromEnv(Map.of("AMBASSADOR_BIND", "0.0.0.0", "ADMIN_BIND", "::1"));
        assertThat(config.bindAddress().isAnyLocalAddress()).isTrue();
        assertThat(config.adminBindAddress().isLoopbackAddress()).isTrue();

        var failure = catchThrowableOfType(ConfigException.class, () -> AmbassadorConfig.fromEnv(Map.of(
                "AMBASSADOR_BIND", "localhost", "ADMIN_BIND", "300.1.1.1")));
        assertThat(failure.problems()).hasSize(2);
        assertThat(failure.getMessage()).contains("AMBASSADOR_BIND=\"localhost\"", "ADMIN_BIND=\"300.1.1.1\"",
                "an IP address such as 127.0.0.1");
    }

    @Test
    void aCatApiUrlWithUserInfoIsRefusedWithoutRepeatingThePassword() {
        var failure = catchThrowableOfType(ConfigException.class, () -> AmbassadorConfig.fromEnv(Map.of(
                "CAT_API_URL", "http://user:s3cret-pw@cats.example/v1")));

        assertThat(failure.getMessage()).contains("CAT_API_URL", "without user info").doesNotContain("s3cret-pw");
    }

    @Test
    void imageHostsAreOriginsAndAnythingElseIsNamed() {
        var failure = catchThrowableOfType(ConfigException.class, () -> AmbassadorConfig.fromEnv(Map.of(
                "IMAGE_HOSTS", "https://cdn.example/images, ftp://files.example, user@cdn.example, cdn.example:http")));

        assertThat(failure.problems()).hasSize(4);
        assertThat(failure.getMessage()).contains("IMAGE_HOSTS=\"https://cdn.example/images\"", "no path",
                "IMAGE_HOSTS=\"ftp://files.example\"", "http or https", "IMAGE_HOSTS=\"user@cdn.example\"",
                "IMAGE_HOSTS=\"cdn.example:http\"", "not a number");
    }
}
