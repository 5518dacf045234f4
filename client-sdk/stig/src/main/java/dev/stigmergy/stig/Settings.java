package dev.stigmergy.stig;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where {@code stig} finds the service and who it acts as. Each setting comes from the environment first, then
 * from the {@code .stigmergy} file at the repository root (a Java properties file with {@code url} and
 * {@code environment}; no secrets: a {@code token} there is refused), then a default.
 *
 * <ul>
 *   <li>{@code STIGMERGY_URL} (default {@code http://localhost:8080})</li>
 *   <li>{@code STIGMERGY_TOKEN}, else the file {@code STIGMERGY_TOKEN_FILE} (default {@code ~/.stigmergy/token}),
 *       which must be readable by its owner only (0600 or 0400); never a command-line flag, which {@code ps}
 *       would show</li>
 *   <li>{@code STIGMERGY_ENVIRONMENT}: the environment the repository belongs to</li>
 *   <li>{@code STIGMERGY_ENTITY}: the entity commands act on when none is given ({@code kind/key})</li>
 *   <li>{@code STIGMERGY_ROLE}: the role calls act as (default: the agent's first role)</li>
 * </ul>
 */
final class Settings {

    static final String FILE_NAME = ".stigmergy";

    private final Map<String, String> env;
    private final Path repositoryRoot;
    private final Properties file;

    private Settings(Map<String, String> env, Path repositoryRoot, Properties file) {
        this.env = env;
        this.repositoryRoot = repositoryRoot;
        this.file = file;
    }

    /** Reads the environment and the {@code .stigmergy} file of the repository around {@code directory}. */
    static Settings load(Map<String, String> env, Path directory) {
        Path root = repositoryRoot(directory);
        Properties file = new Properties();
        if (root != null && Files.isRegularFile(root.resolve(FILE_NAME))) {
            try (Reader in = Files.newBufferedReader(root.resolve(FILE_NAME))) {
                file.load(in);
            } catch (IOException e) {
                throw new StigException(Exit.USAGE, "cannot read " + root.resolve(FILE_NAME) + ": " + e.getMessage());
            }
            if (file.containsKey("token")) {
                throw new StigException(Exit.USAGE, root.resolve(FILE_NAME) + " holds a token: secrets do not belong in "
                        + "the repository; remove it and use STIGMERGY_TOKEN or a 0600 token file");
            }
        }
        return new Settings(env, root, file);
    }

    /** The working tree root around {@code directory} (the nearest ancestor holding {@code .git}), or {@code null}. */
    static Path repositoryRoot(Path directory) {
        for (Path p = directory.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(".git"))) {
                return p;
            }
        }
        return null;
    }

    Path repositoryRoot() {
        return repositoryRoot;
    }

    URI url(String option) {
        String url = first(option, env.get("STIGMERGY_URL"), file.getProperty("url"), "http://localhost:8080");
        try {
            return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new StigException(Exit.USAGE, "bad service URL '" + url + "'");
        }
    }

    /** The environment, required: from the option, STIGMERGY_ENVIRONMENT or {@code .stigmergy}. */
    String environment(String option) {
        String environment = first(option, env.get("STIGMERGY_ENVIRONMENT"), file.getProperty("environment"), null);
        if (environment == null || environment.isBlank()) {
            throw new StigException(Exit.USAGE, "no environment: set STIGMERGY_ENVIRONMENT, write environment=<name> "
                    + "in " + FILE_NAME + " at the repository root, or pass --environment");
        }
        return environment;
    }

    /** The default entity (STIGMERGY_ENTITY), or {@code null}. */
    String entity() {
        String entity = env.get("STIGMERGY_ENTITY");
        return entity == null || entity.isBlank() ? null : entity;
    }

    String role() {
        String role = env.get("STIGMERGY_ROLE");
        return role == null || role.isBlank() ? null : role;
    }

    /** An integer setting from the environment, or {@code fallback}. */
    int number(String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new StigException(Exit.USAGE, name + " is not a number: " + value);
        }
    }

    /** The bearer token, from STIGMERGY_TOKEN or a token file readable by its owner only. */
    String token() {
        String token = env.get("STIGMERGY_TOKEN");
        if (token != null && !token.isBlank()) {
            return token.trim();
        }
        // $HOME, as the shell that wrote the file saw it (the JVM's user.home comes from the password database)
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        Path path = env.get("STIGMERGY_TOKEN_FILE") != null ? Path.of(env.get("STIGMERGY_TOKEN_FILE"))
                : Path.of(home, ".stigmergy", "token");
        if (!Files.isRegularFile(path)) {
            throw new StigException(Exit.USAGE, "no token: set STIGMERGY_TOKEN, or write it to " + path
                    + " (chmod 600) or to the file STIGMERGY_TOKEN_FILE names");
        }
        try {
            Set<PosixFilePermission> others = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
            others.retainAll(Files.getPosixFilePermissions(path));
            if (!others.isEmpty()) {
                throw new StigException(Exit.USAGE, "token file " + path + " is open to other users: chmod 600 " + path);
            }
            String text = Files.readString(path).trim();
            if (text.isEmpty()) {
                throw new StigException(Exit.USAGE, "token file " + path + " is empty");
            }
            return text;
        } catch (UnsupportedOperationException | IOException e) {
            throw new StigException(Exit.USAGE, "cannot read token file " + path + ": " + e.getMessage());
        }
    }

    private static String first(String a, String b, String c, String d) {
        for (String s : new String[] {a, b, c}) {
            if (s != null && !s.isBlank()) {
                return s.trim();
            }
        }
        return d;
    }
}
