package dev.stigmergy.git;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Opens an environment's repository from its declared location: a local path (a working tree or a bare
 * repository, read in place), or a clone URL, mirrored into a bare repository under
 * {@code <data dir>/repos/} on first use and fetched again by {@link #refresh}. Never touches a working tree.
 */
@ApplicationScoped
public class GitRepositories {

    private final Path mirrors;

    public GitRepositories(@ConfigProperty(name = "stigmergy.data-dir") Path dataDir) {
        this.mirrors = dataDir.resolve("repos");
    }

    /**
     * @param location a local path or a clone URL ({@code scheme://…} or {@code user@host:path})
     * @throws GitReadException the location holds no readable repository or cannot be mirrored
     */
    public GitRepository open(String location) {
        if (!isUrl(location)) {
            return GitRepository.open(Path.of(location));
        }
        Path mirror = mirrorOf(location);
        if (!Files.isDirectory(mirror)) {
            refresh(location);
        }
        return GitRepository.open(mirror);
    }

    /**
     * Fetches a clone URL's mirror (creating it when missing); a local path needs nothing.
     *
     * @throws GitReadException the remote cannot be read
     */
    public synchronized void refresh(String location) {
        if (!isUrl(location)) {
            return;
        }
        Path mirror = mirrorOf(location);
        try {
            if (Files.isDirectory(mirror)) {
                try (Git git = Git.open(mirror.toFile())) {
                    git.fetch().setRemoveDeletedRefs(true).call();
                }
            } else {
                Files.createDirectories(mirrors);
                Git.cloneRepository().setURI(location).setBare(true).setMirror(true)
                        .setDirectory(mirror.toFile()).call().close();
            }
        } catch (GitAPIException | java.io.IOException e) {
            throw new GitReadException("cannot mirror " + location, e);
        }
    }

    static boolean isUrl(String location) {
        return location.contains("://") || location.matches("[^/]+@[^/:]+:.*");
    }

    private Path mirrorOf(String url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return mirrors.resolve(HexFormat.of().formatHex(digest, 0, 12) + ".git");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
