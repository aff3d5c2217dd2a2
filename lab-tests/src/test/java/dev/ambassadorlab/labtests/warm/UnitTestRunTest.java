package dev.ambassadorlab.labtests.warm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm check words a unit test's failure as ./lab check does from Surefire's report (unit_failures in lab). */
class UnitTestRunTest {

    @Test
    void aFailureIsItsNameThenItsMessageWithoutTheExceptionsClassName() {
        var failure = new UnitTestRun.Failure(0, 1, 0, "retriesTwice",
                "java.lang.AssertionError: expected 3 requests; it got 1");

        assertThat(UnitTestRun.format(failure)).isEqualTo("""
                        retriesTwice:
                            expected 3 requests; it got 1
                """);
    }

    @Test
    void blankLinesAreDroppedTabsWidenedAndAtMostSixLinesKept() {
        var failure = new UnitTestRun.Failure(0, 1, 0, "keyIsSent", "org.opentest4j.AssertionFailedError: \n"
                + "[the key]  \n\nexpected:\t\"k\"\n but was: null\n3\n4\n5\n6\n7");

        assertThat(UnitTestRun.format(failure)).isEqualTo("""
                        keyIsSent:
                            [the key]
                            expected:    "k"
                             but was: null
                            3
                            4
                            5
                """);
    }

    @Test
    void aTestIsFoundWhereItsFileFirstDeclaresIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("ATest.java"), "class ATest {\n  @Test\n  void second() {}\n"
                + "  @Test\n  void first() {}\n  void second(int overload) {}\n}\n");

        assertThat(UnitTestRun.declaredAt(file, "second")).isEqualTo(3);
        assertThat(UnitTestRun.declaredAt(file, "first")).isEqualTo(5);
        assertThat(UnitTestRun.declaredAt(file, "missing")).isEqualTo(Integer.MAX_VALUE);
    }
}
