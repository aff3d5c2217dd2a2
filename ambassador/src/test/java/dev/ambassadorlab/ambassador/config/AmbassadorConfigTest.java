package dev.ambassadorlab.ambassador.config;

import dev.ambassadorlab.ambassador.AmbassadorConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AmbassadorConfigTest {

    @Test
    void everyDefaultKeepsTheSeedLabsPortAndTheCatApi() {
        var config = AmbassadorConfig.defaults();

        assertThat(config.port()).isEqualTo(5001);
        assertThat(config.catApiUrl()).hasToString("https://api.thecatapi.com");
        assertThat(config.imageHosts()).containsExactly("api.thecatapi.com", "cdn2.thecatapi.com");
        assertThat(config.imagesDir()).isEqualTo(Path.of("images").toAbsolutePath());
        assertThat(config.maxRetries()).isEqualTo(2);
        assertThat(config.attemptTimeout()).isLessThan(config.requestDeadline());
        assertThat(config.apiKey().isPresent()).isFalse();
    }

    @Test
    void readsEachVariable() {
        var config = AmbassadorConfig.fromEnv(Map.of(
                "AMBASSADOR_PORT", "7001", "CAT_API_URL", "http://mock:8080/", "IMAGE_HOSTS", "mock, CDN.example.org",
                "RETRY_MAX_RETRIES", "4", "ATTEMPT_TIMEOUT_MS", "1_500", "RETRY_BUDGET_RATIO", "0.5",
                "FALLBACK_ENABLED", "no", "BULKHEAD_MAX_CONCURRENT", "3"));

        assertThat(config.port()).isEqualTo(7001);
        assertThat(config.catApiUrl()).hasToString("http://mock:8080");
        assertThat(config.imageHosts()).containsExactly("mock", "cdn.example.org");
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
                "RETRY_BASE_DELAY_MS", "500", "RETRY_MAX_DELAY_MS", "100", "IMAGE_HOSTS", " , ")));

        assertThat(failure.problems()).hasSize(3);
        assertThat(failure.getMessage()).contains("ATTEMPT_TIMEOUT_MS (9000) is longer than REQUEST_DEADLINE_MS (3000)",
                "RETRY_BASE_DELAY_MS (500) is larger than RETRY_MAX_DELAY_MS (100)", "IMAGE_HOSTS is empty");
    }

    @Test
    void blankValuesCountAsUnset() {
        assertThat(AmbassadorConfig.fromEnv(Map.of("RETRY_MAX_RETRIES", " ", "CAT_API_URL", "")))
                .isEqualTo(AmbassadorConfig.defaults());
    }
}
