package policykg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Runs Neo4j Community embedded with the Bolt connector, for `policykg neo4j start`.
 *
 * <p>Usage: {@code Neo4jLauncher <neo4j home> <neo4j.conf>}. All server settings (Bolt address,
 * page cache, hardening) come from the config file written by graph/neo4j/server.py. The
 * password for the user named by POLICYKG_LAUNCHER_USER is read from the environment variable
 * POLICYKG_LAUNCHER_PASSWORD (never the command line, which every local user can read) and set
 * in the system database before the line "policykg: neo4j ready" is printed. SIGTERM runs the
 * shutdown hook, which shuts the databases down cleanly.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: Neo4jLauncher <neo4j home> <neo4j.conf>");
            System.exit(64);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path conf = Path.of(args[1]).toAbsolutePath();
        if (!Files.isRegularFile(conf)) {
            System.err.println("policykg: config file not found: " + conf);
            System.exit(66);
        }
        DatabaseManagementService service;
        try {
            service = new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        } catch (RuntimeException e) {
            fail("neo4j failed to start", e);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("policykg: neo4j shutting down");
                                    service.shutdown();
                                    System.out.println("policykg: neo4j stopped");
                                    stopped.countDown();
                                },
                                "policykg-neo4j-shutdown"));
        try {
            setPassword(service);
        } catch (RuntimeException e) {
            fail("cannot set the password of the configured user", e);
        }
        System.out.println("policykg: neo4j ready");
        System.out.flush();
        stopped.await();
    }

    /** Prints one line per cause (details are in logs/debug.log) and exits, running the hook. */
    private static void fail(String what, Throwable error) {
        StringBuilder message = new StringBuilder("policykg: " + what);
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            message.append(": ").append(cause.getMessage());
        }
        System.out.println(message);
        System.out.flush();
        System.exit(1);
    }

    /** Gives the configured user the configured password, so Bolt clients must authenticate. */
    private static void setPassword(DatabaseManagementService service) {
        String user = System.getenv("POLICYKG_LAUNCHER_USER");
        String password = System.getenv("POLICYKG_LAUNCHER_PASSWORD");
        if (user == null || password == null) {
            System.out.println("policykg: no credentials given; users unchanged");
            return;
        }
        Map<String, Object> params = Map.of("user", user, "password", password);
        var system = service.database("system");
        system.executeTransactionally(
                "CREATE USER $user IF NOT EXISTS SET PASSWORD $password CHANGE NOT REQUIRED",
                params);
        try {
            system.executeTransactionally(
                    "ALTER USER $user SET PASSWORD $password CHANGE NOT REQUIRED", params);
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to itself: then it is already right.
            if (!String.valueOf(e.getMessage()).contains("Old password and new password")) {
                throw e;
            }
        }
    }
}
