package dev.ambassadorlab.app;

import io.javalin.Javalin;

/** Reads the configuration from the environment and starts the app; nothing else. */
public final class AppMain {
    private AppMain() {
    }

    public static void main(String[] args) {
        AppConfig config;
        try {
            config = AppConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException invalid) {
            System.err.println(invalid.getMessage());
            System.exit(2);
            return;
        }
        Javalin app = CatApp.create(config);
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "app-shutdown"));
        app.start(config.port());
        System.err.printf("App listening on :%d, calling its ambassador at %s%n", app.port(), config.ambassadorUrl());
    }
}
