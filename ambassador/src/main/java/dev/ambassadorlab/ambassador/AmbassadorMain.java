package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.config.AmbassadorConfig;
import dev.ambassadorlab.ambassador.config.ConfigException;
import io.javalin.util.JavalinException;

/** Reads the configuration from the environment and starts the ambassador; nothing else. */
public final class AmbassadorMain {
    private AmbassadorMain() {
    }

    public static void main(String[] args) {
        AmbassadorConfig config;
        Ambassador ambassador;
        try {
            config = AmbassadorConfig.fromEnv(System.getenv());
            ambassador = AmbassadorApp.create(config);
        } catch (ConfigException | IllegalStateException unusable) {
            System.err.println(unusable.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(ambassador::stop, "ambassador-shutdown"));
        try {
            ambassador.start();
        } catch (JavalinException cannotListen) {
            System.err.println("The ambassador cannot listen: " + cannotListen.getMessage()
                    + " (AMBASSADOR_PORT and ADMIN_PORT choose the ports)");
            System.exit(2);
            return;
        }
        System.err.printf("Ambassador listening: proxy on %s:%d, admin (/metrics, /health) on %s:%d; calling %s "
                        + "(API key %s), saving images to %s%n",
                config.bindAddress().getHostAddress(), ambassador.proxyPort(), config.adminBindAddress().getHostAddress(),
                ambassador.adminPort(), config.catApiUrl(), config.apiKey().isPresent() ? "set" : "not set",
                config.imagesDir());
    }
}
