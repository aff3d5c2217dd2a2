package dev.ambassadorlab.ambassador.web;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a caller's headers may ask of the ambassador, decided value by value. */
class CallerHeadersTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", " ", "\t", "~", "application/json; q=0.9", "!\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~"})
    void aValueOfPrintableAsciiSpacesAndTabsIsForwardedAsItIs(String value) {
        assertThat(CallerHeaders.forwardable("Accept", value)).isEqualTo(value);
    }

    @ParameterizedTest(name = "character {0}")
    @ValueSource(ints = {0x00, 0x08, 0x0a, 0x0d, 0x1f, 0x7f, 0x80, 0xe9, 0x2028})
    void anyOtherCharacterIsA400ThatNamesTheHeader(int character) {
        assertThatThrownBy(() -> CallerHeaders.forwardable("Accept-Language", "en" + (char) character))
                .isInstanceOfSatisfying(AmbassadorException.class, refused -> {
                    assertThat(refused.status()).isEqualTo(400);
                    assertThat(refused.error()).isEqualTo("bad_header");
                    assertThat(refused.reason()).contains("Accept-Language");
                });
    }

    @Test
    void aRetryHeaderCanOnlyLowerTheConfiguredRetries() {
        assertThat(CallerHeaders.retriesAllowed((String) null, 2)).as("no header").isEqualTo(2);
        assertThat(CallerHeaders.retriesAllowed("0", 2)).isZero();
        assertThat(CallerHeaders.retriesAllowed(" 1 ", 2)).isEqualTo(1);
        assertThat(CallerHeaders.retriesAllowed("2", 2)).isEqualTo(2);
        assertThat(CallerHeaders.retriesAllowed("7", 2)).as("more than configured").isEqualTo(2);
        for (String bad : new String[]{"-1", "x", "", "1.5", "99999999999"}) {
            assertThatThrownBy(() -> CallerHeaders.retriesAllowed(bad, 3)).as(bad)
                    .isInstanceOfSatisfying(AmbassadorException.class, refused -> {
                        assertThat(refused.status()).isEqualTo(400);
                        assertThat(refused.reason()).contains("from 0 to 3");
                    });
        }
    }

    @Test
    void noCacheOrNoStoreMeanFreshOrNothing() {
        assertThat(CallerHeaders.acceptsStale((String) null)).isTrue();
        assertThat(CallerHeaders.acceptsStale("max-age=0")).isTrue();
        assertThat(CallerHeaders.acceptsStale("no-cache")).isFalse();
        assertThat(CallerHeaders.acceptsStale("public, NO-STORE")).isFalse();
        assertThat(CallerHeaders.acceptsStale("No-Cache")).isFalse();
    }
}
