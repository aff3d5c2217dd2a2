package dev.ambassadorlab.console.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadRequestTest {

    @Test
    void the_switch_positions_are_accepted_for_up_to_five_minutes() {
        assertThat(LoadRequest.parse("10", "300")).isEqualTo(new LoadRequest(10, 300));
        assertThat(LoadRequest.parse("0", "1")).isEqualTo(new LoadRequest(0, 1));
        assertThat(LoadRequest.parse("50", null)).isEqualTo(new LoadRequest(50, 60));
    }

    @Test
    void a_rate_off_the_switch_is_refused_with_the_rates_offered() {
        assertThatThrownBy(() -> LoadRequest.parse("7", "10")).hasMessage(
                "rate=7 is not offered: choose one of [0, 1, 10, 50] requests a second (0 stops the load)");
        assertThatThrownBy(() -> LoadRequest.parse(null, "10")).hasMessageContaining("rate is missing");
        assertThatThrownBy(() -> LoadRequest.parse("fast", "10")).hasMessage("rate=fast is not a whole number");
    }

    @Test
    void a_duration_outside_one_to_300_seconds_is_refused() {
        assertThatThrownBy(() -> LoadRequest.parse("1", "0")).hasMessage("seconds=0 is out of range: choose 1 to 300");
        assertThatThrownBy(() -> LoadRequest.parse("1", "301")).hasMessage("seconds=301 is out of range: choose 1 to 300");
    }
}
