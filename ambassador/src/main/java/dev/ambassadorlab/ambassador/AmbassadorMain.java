package dev.ambassadorlab.ambassador;

import dev.ambassadorlab.ambassador.config.ConfigException;
import io.javalin.Javalin;

/** Reads the configuration from the environment and starts the ambassador; nothing else. */
public final class AmbassadorMain {
    private AmbassadorMain() {
    }

    public static void main(String[] args) {
        AmbassadorConfig config;
        Javalin app;
        try {
            config = AmbassadorConfig.fromEnv(System.getenv());
            app = AmbassadorApp.create(config);
        } catch (ConfigException | IllegalStateException unusable) {
            System.err.println(unusable.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "ambassador-shutdown"));
        app.start(config.port());
        System.err.printf("Ambassador listening on :%d, calling %s (API key %s), saving images to %s%n",
                app.port(), config.catApiUrl(), config.apiKey().isPresent() ? "set" : "not set", config.imagesDir());
    }
}
