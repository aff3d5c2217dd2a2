package dev.ambassadorlab.ambassador.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A refused id is quoted in the log's detail without its control characters, and cut when long. */
class ImageIdMessagesTest {
    @Test
    void aRefusedIdIsQuotedPrintableAndShort() {
        assertThatThrownBy(() -> new ImageId(null)).hasMessageContaining("image id (missing) is not");
        assertThatThrownBy(() -> new ImageId("a b\u0000c\u001fd\u007fe\n")).hasMessageContaining("\"a b?c?d?e?\"");
        assertThatThrownBy(() -> new ImageId("x".repeat(40) + "/")).hasMessageContaining("\"" + "x".repeat(40) + "…\"");
        assertThatThrownBy(() -> new ImageId("/" + "x".repeat(39))).hasMessageContaining("\"/" + "x".repeat(39) + "\" is");
        assertThatThrownBy(() -> new ImageId("x".repeat(65))).hasMessageContaining("…");
    }

    @Test
    void anIdShowsAsItsValue() {
        assertThat(new ImageId("tabby")).hasToString("tabby");
    }
}
