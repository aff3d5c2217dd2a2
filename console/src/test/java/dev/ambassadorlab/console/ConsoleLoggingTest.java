package dev.ambassadorlab.console;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's output is the `./lab up` log view: the libraries under it say only what went wrong. */
class ConsoleLoggingTest {
    @Test
    void javalin_and_jetty_log_warnings_but_not_their_startup_info() {
        for (String logger : new String[] {"io.javalin.Javalin", "org.eclipse.jetty.server.Server"}) {
            assertThat(LoggerFactory.getLogger(logger).isInfoEnabled()).as(logger).isFalse();
            assertThat(LoggerFactory.getLogger(logger).isWarnEnabled()).as(logger).isTrue();
        }
    }
}
