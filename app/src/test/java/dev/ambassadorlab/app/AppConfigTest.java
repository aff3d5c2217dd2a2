package dev.ambassadorlab.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppConfigTest {

    @Test
    void defaultsUseTheLabsPortsAndWaitLongerThanTheAmbassadorsDeadline() {
        var config = AppConfig.fromEnv(Map.of());

        assertThat(config.port()).isEqualTo(5000);
        assertThat(config.ambassadorUrl()).hasToString("http://localhost:5001");
        assertThat(config.ambassadorTimeout()).isGreaterThan(Duration.ofMillis(6000));
    }

    @Test
    void badValuesAreAllNamedWithWhatIsAccepted() {
        assertThatThrownBy(() -> AppConfig.fromEnv(Map.of("APP_PORT", "http", "AMBASSADOR_URL", "localhost:5001",
                "AMBASSADOR_TIMEOUT_MS", "0")))
                .hasMessageContaining("APP_PORT=\"http\" is not valid: expected a whole number from 0 to 65535")
                .hasMessageContaining("AMBASSADOR_URL=\"localhost:5001\" is not valid: expected an http:// URL")
                .hasMessageContaining("AMBASSADOR_TIMEOUT_MS=\"0\"");
    }
}
