package dev.stigmergy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The floor plan (STYLE.md §1) as rules over the compiled service: packages use each other without cycles, only
 * the {@code event} capability writes event rows, and in the SQL-heavy capabilities only repositories reach the
 * database.
 */
class HouseRulesTest {

    private static JavaClasses service;

    @BeforeAll
    static void importService() {
        service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.stigmergy");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.stigmergy.(*)..").should().beFreeOfCycles().check(service);
    }

    @Test
    void onlyTheEventPackageAppendsEvents() throws IOException {
        Path sources = Path.of("src/main/java/dev/stigmergy");
        Pattern append = Pattern.compile("insert\\s+into\\s+event\\s*\\(", Pattern.CASE_INSENSITIVE);
        try (Stream<Path> files = Files.walk(sources)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(sources.resolve("event")))
                    .filter(f -> append.matcher(read(f)).find())
                    .map(Path::toString).sorted().toList();
            assertEquals(List.of(), offenders, "insert into event outside dev.stigmergy.event: use event.EventRows");
        }
    }

    /**
     * Lock, intent, unlock and pheromone keep their SQL and their data access in their repositories (issue 24): no
     * other class of theirs uses the {@code EntityManager}, {@code db.Sql} or a Panache entity's static data access.
     */
    @Test
    void inLockIntentUnlockAndPheromoneOnlyRepositoriesReachTheDatabase() {
        noClasses().that().resideInAnyPackage("dev.stigmergy.lock..", "dev.stigmergy.intent..",
                        "dev.stigmergy.unlock..", "dev.stigmergy.pheromone..")
                .and().haveSimpleNameNotEndingWith("Repository")
                .and().areNotAnnotatedWith(jakarta.persistence.Entity.class)
                .should().dependOnClassesThat().belongToAnyOf(jakarta.persistence.EntityManager.class,
                        jakarta.persistence.Query.class, dev.stigmergy.db.Sql.class)
                .orShould().callMethodWhere(PANACHE_DATA_ACCESS)
                .because("services hold the rules, repositories the SQL")
                .check(service);
    }

    private static final Set<String> PANACHE_METHODS = Set.of("find", "findById", "findByIdOptional", "findAll",
            "list", "listAll", "stream", "streamAll", "count", "persist", "persistAndFlush", "delete", "deleteAll",
            "deleteById", "update", "flush", "getEntityManager");

    private static final DescribedPredicate<JavaMethodCall> PANACHE_DATA_ACCESS = DescribedPredicate.describe(
            "Panache data access on an entity", call -> PANACHE_METHODS.contains(call.getName())
                    && call.getTargetOwner().isAssignableTo(io.quarkus.hibernate.orm.panache.PanacheEntityBase.class));

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
