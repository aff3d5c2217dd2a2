package dev.ambassadorlab.ambassador.request;

import dev.ambassadorlab.ambassador.errors.AmbassadorException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory lent to bodies: up to its capacity, and back when a request is done with them. */
class BodyMemoryTest {
    private final BodyMemory memory = new BodyMemory(1_000);

    @Test
    void lendsUpToItsCapacityAndNoMore() {
        assertThat(memory.capacity()).isEqualTo(1_000);
        assertThat(memory.tryLend(600)).isTrue();
        assertThat(memory.tryLend(401)).as("one byte more than is left").isFalse();
        assertThat(memory.lent()).isEqualTo(600);
        assertThat(memory.tryLend(400)).as("exactly what is left").isTrue();
        assertThat(memory.lent()).isEqualTo(1_000);
        memory.giveBack(300);
        assertThat(memory.lent()).isEqualTo(700);
        assertThat(memory.tryLend(300)).isTrue();
    }

    @Test
    void aRequestHoldsItsShareAndGivesItBackOnceWhateverItAsks() {
        var request = new RequestContext("id", Duration.ofSeconds(1), 2, true, memory);

        request.holdBodyBytes(0);
        request.holdBodyBytes(-5);
        assertThat(memory.lent()).as("nothing to hold").isZero();
        request.holdBodyBytes(700);
        assertThat(request.heldBodyBytes()).isEqualTo(700);
        assertThatThrownBy(() -> request.holdBodyBytes(301)).isInstanceOfSatisfying(AmbassadorException.class, full -> {
            assertThat(full.status()).isEqualTo(503);
            assertThat(full.error()).isEqualTo("overloaded");
            assertThat(full.retryAfter()).isEqualTo(Duration.ofSeconds(1));
            assertThat(full.detail()).contains("700 bytes lent", "301 more");
        });
        assertThat(request.heldBodyBytes()).as("a refusal holds nothing more").isEqualTo(700);

        request.releaseBodyBytes(200);
        assertThat(memory.lent()).isEqualTo(500);
        assertThat(request.heldBodyBytes()).isEqualTo(500);
        request.releaseBodyBytes(0);
        assertThat(memory.lent()).isEqualTo(500);
        request.releaseAllBodyBytes();
        request.releaseAllBodyBytes();
        request.releaseBodyBytes(100);
        assertThat(memory.lent()).as("given back once, never more").isZero();
        assertThat(request.heldBodyBytes()).isZero();
    }

    @Test
    void aRequestCountsItsAttemptsAndRetriesAndItsTime() {
        var request = new RequestContext("id", Duration.ofSeconds(5), 2, false, memory);
        request.callStarted();
        request.attemptStarted();
        request.attemptStarted();
        request.callStarted();
        request.attemptStarted();

        assertThat(request.attempts()).isEqualTo(3);
        assertThat(request.callAttempts()).isEqualTo(1);
        assertThat(request.retries()).as("3 attempts over 2 calls").isEqualTo(1);
        assertThat(request.elapsed()).isBetween(Duration.ZERO, Duration.ofSeconds(5));
        assertThat(request.remaining()).isBetween(Duration.ZERO, Duration.ofSeconds(5));
        assertThat(request.acceptsStale()).isFalse();
        assertThat(request.retriesAllowed()).isEqualTo(2);
        request.noteDetail(null);
        assertThat(request.detail()).isNull();
        request.noteDetail("first");
        request.noteDetail(null);
        assertThat(request.detail()).as("a null detail keeps the last one").isEqualTo("first");
    }
}
