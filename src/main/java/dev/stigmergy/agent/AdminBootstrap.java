package dev.stigmergy.agent;

import dev.stigmergy.event.Invalidations;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;

/**
 * Makes sure the {@code admin} agent exists at startup. With {@code STIGMERGY_ADMIN_TOKEN} set, that token
 * is the admin's (its hash replaces any earlier one). Without it, the first start generates a token, stores
 * its hash and writes the plain token once to {@code <data-dir>/admin-token}, readable by the owner only;
 * later starts leave the admin alone.
 */
@ApplicationScoped
public class AdminBootstrap {

    static final String ADMIN_ID = "admin";
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final EntityManager em;
    private final Invalidations invalidations;
    private final Clock clock;
    private final Optional<String> adminToken;
    private final Path dataDir;

    public AdminBootstrap(EntityManager em, Invalidations invalidations, Clock clock,
                          @ConfigProperty(name = "stigmergy.admin-token") Optional<String> adminToken,
                          @ConfigProperty(name = "stigmergy.data-dir") Path dataDir) {
        this.em = em;
        this.invalidations = invalidations;
        this.clock = clock;
        this.adminToken = adminToken;
        this.dataDir = dataDir;
    }

    @Transactional
    void onStart(@Observes StartupEvent start) {
        if (adminToken.isPresent() && !adminToken.get().isBlank()) {
            upsertAdmin(BearerTokens.hash(adminToken.get().trim()), true);
            // other replicas may have the earlier token cached (AgentService)
            invalidations.announce(AgentService.topic(ADMIN_ID));
            LOG.info("admin token taken from STIGMERGY_ADMIN_TOKEN");
            return;
        }
        String token = BearerTokens.generate();
        // on conflict: another start (or replica) created the admin first; its token stays valid
        if (upsertAdmin(BearerTokens.hash(token), false)) {
            Path file = writeOwnerOnly(dataDir.resolve("admin-token"), token);
            LOG.infof("generated the admin token; it is in %s (readable by its owner only)", file);
        }
    }

    private boolean upsertAdmin(String hash, boolean replace) {
        return em.createNativeQuery("""
                        insert into agent (id, display_name, roles, token_hash, created_at)
                        values (:id, 'Administrator', '{admin}', :hash, :now)
                        on conflict (id) do\s""" + (replace ? "update set token_hash = excluded.token_hash" : "nothing"))
                .setParameter("id", ADMIN_ID)
                .setParameter("hash", hash)
                .setParameter("now", clock.instant())
                .executeUpdate() > 0;
    }

    private static Path writeOwnerOnly(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file, e);
        }
    }
}
