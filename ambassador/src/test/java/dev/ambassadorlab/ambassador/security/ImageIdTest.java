package dev.ambassadorlab.ambassador.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"MTY3ODIyMQ", "bpc", "9ccXTANkb", "a-b_c", "x"})
    void acceptsTheCatApisIds(String id) {
        assertThat(new ImageId(id).value()).as("new ImageId(\"%s\"), an id shaped like The Cat API's", id)
                .isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../../x", "..", "a/b", "a\\b", "x.jpg", "a b", "nul\u0000", "line\nbreak", "é",
            "12345678901234567890123456789012345678901234567890123456789012345"})
    void refusesAnythingThatCouldMisbehaveAsAFileName(String id) {
        assertThatThrownBy(() -> new ImageId(id), "new ImageId(\"%s\") should refuse it: it cannot be a safe file "
                + "name", id.replace("\n", "\\n").replace("\u0000", "\\0"))
                .isInstanceOf(IllegalArgumentException.class)
                // The words are the learner's; only a hostile id's control characters must stay out of the log.
                .as("the refusal's message for that id: no line break or NUL (describe() quotes an id safely)")
                .hasMessageNotContaining("\n").hasMessageNotContaining("\u0000");
    }
}
