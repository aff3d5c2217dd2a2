package dev.ambassadorlab.ambassador.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the ambassador finds its key in text it is about to show (an answer header, a log line): in any case, whole or
 * half of it (8 characters at least), and what the log gets instead.
 */
class ApiKeyEchoTest {
    private static final String KEY = "live_0123456789ABCDEF"; // 21 characters: pieces of 11
    private final ApiKey key = ApiKey.of(KEY);

    @Test
    void theKeyIsFoundWholeOrHalfInAnyCase() {
        assertThat(key.appearsIn("x" + KEY + "y")).isTrue();
        assertThat(key.appearsIn(KEY.toLowerCase())).isTrue();
        assertThat(key.appearsIn("[" + KEY.toUpperCase() + "]")).isTrue();
        assertThat(key.appearsIn(KEY.substring(0, 11))).as("its first 11 characters").isTrue();
        assertThat(key.appearsIn(KEY.substring(10))).as("its last 11").isTrue();
        assertThat(key.appearsIn(KEY.substring(0, 10))).as("10 characters: less than half").isFalse();
        assertThat(key.appearsIn("@AZ[`az{")).isFalse();
        assertThat(key.appearsIn(null)).isFalse();
    }

    @Test
    void halfOfALongKeyCountsAndForAShortOneEightCharactersOrTheWholeKey() {
        ApiKey seventeen = ApiKey.of("ABCDEFGHIJKLMNOPQ");
        assertThat(seventeen.appearsIn("abcdefghi")).as("9 of 17 characters: half, rounded up").isTrue();
        assertThat(seventeen.appearsIn("ABCDEFGH")).as("8 of 17: less than half").isFalse();
        ApiKey ten = ApiKey.of("0123456789");
        assertThat(ten.appearsIn("01234567")).as("8 of 10: the shortest piece that counts").isTrue();
        assertThat(ten.appearsIn("0123456")).isFalse();
        ApiKey five = ApiKey.of("AbCdE");
        assertThat(five.appearsIn("xabcdex")).as("a short key, whole").isTrue();
        assertThat(five.appearsIn("abcd")).isFalse();
    }

    @Test
    void theLogGetsTheTextWithEachPieceOfTheKeyMasked() {
        assertThat(key.masked(KEY)).isEqualTo(ApiKey.MASK);
        assertThat(key.masked(KEY + "!")).as("at the start").isEqualTo(ApiKey.MASK + "!");
        assertThat(key.masked("status 5OO " + KEY.toLowerCase())).isEqualTo("status 5OO " + ApiKey.MASK);
        assertThat(key.masked(KEY + " and " + KEY)).isEqualTo(ApiKey.MASK + " and " + ApiKey.MASK);
        assertThat(key.masked("a=" + KEY.substring(10) + ";")).isEqualTo("a=" + ApiKey.MASK + ";");
        assertThat(key.masked("nothing secret")).isEqualTo("nothing secret");
        assertThat(key.masked(null)).isNull();
        assertThat(ApiKey.none().masked("live_0123456789ABCDEF")).isEqualTo("live_0123456789ABCDEF");
    }

    @Test
    void itsTextNeverShowsIt() {
        assertThat(key).hasToString("ApiKey[set, hidden]");
        assertThat(ApiKey.none()).hasToString("ApiKey[none]");
        assertThat(key.isPresent()).isTrue();
        assertThat(ApiKey.none().isPresent()).isFalse();
        assertThat(ApiKey.none().appearsIn("anything")).isFalse();
    }
}
