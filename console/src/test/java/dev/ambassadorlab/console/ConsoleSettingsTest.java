package dev.ambassadorlab.console;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConsoleSettingsTest {

    @Test
    void with_nothing_set_the_console_fits_lab_up() {
        var settings = ConsoleSettings.fromEnv(Map.of());

        assertThat(settings.port()).isEqualTo(5050);
        assertThat(settings.bind()).isEqualTo("127.0.0.1");
        assertThat(settings.ambassadorAdminUrl()).hasToString("http://localhost:9901/");
        assertThat(settings.appUrl()).hasToString("http://localhost:5000/");
        assertThat(settings.toxiproxyUrl()).hasToString("http://localhost:8474/");
        assertThat(settings.toxiproxyProxy()).isEqualTo("cat-api");
        assertThat(settings.wiremockUrl()).hasToString("http://localhost:5002/");
    }

    @Test
    void each_setting_is_taken_from_the_environment() {
        var settings = ConsoleSettings.fromEnv(Map.of("CONSOLE_PORT", "0", "CONSOLE_BIND", "0.0.0.0",
                "TOXIPROXY_URL", "http://127.0.0.1:32768", "TOXIPROXY_PROXY", "upstream"));

        assertThat(settings.port()).isZero();
        assertThat(settings.bind()).isEqualTo("0.0.0.0");
        assertThat(settings.toxiproxyUrl()).hasToString("http://127.0.0.1:32768/");
        assertThat(settings.toxiproxyProxy()).isEqualTo("upstream");
    }

    @Test
    void every_invalid_setting_is_named_with_what_is_expected() {
        assertThatThrownBy(() -> ConsoleSettings.fromEnv(Map.of("CONSOLE_PORT", "70000",
                "WIREMOCK_URL", "localhost:5002", "APP_URL", "http://localhost:5000/images")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CONSOLE_PORT=\"70000\" is not valid: expected a port from 0 to 65535")
                .hasMessageContaining("WIREMOCK_URL=\"localhost:5002\" is not valid: expected an http:// URL")
                .hasMessageContaining("APP_URL=\"http://localhost:5000/images\" is not valid");
    }

    @Test
    void a_proxy_name_that_would_change_the_admin_path_is_refused() {
        assertThatThrownBy(() -> ConsoleSettings.fromEnv(Map.of("TOXIPROXY_PROXY", "cat-api/toxics")))
                .hasMessageContaining("TOXIPROXY_PROXY=\"cat-api/toxics\" is not valid: expected a proxy name");
    }
}
