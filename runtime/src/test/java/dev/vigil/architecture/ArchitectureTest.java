package dev.vigil.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The module arrows and the package cycles, checked on the main classes of all three modules (the runtime's test
 * class path holds them all): training-data and model never import upward, and no module has a package cycle (the
 * runtime's own package, where {@code VigilServer} wires everything, counts as a package of its own). The arrows
 * each package may have are drawn in docs/ARCHITECTURE.md.
 */
class ArchitectureTest {
    static final String[] TRAINING_DATA = {"dev.vigil.cli", "dev.vigil.domain..", "dev.vigil.format..", "dev.vigil.sim.."};
    static JavaClasses classes;
    static JavaClasses lower;

    @BeforeAll
    static void load() {
        // the other modules are directories in `mvn test` and jars in `mvn verify`: both are read
        ClassFileImporter importer = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS);
        classes = importer.importPackages("dev.vigil");
        lower = importer.importPackages("dev.vigil.cli", "dev.vigil.domain", "dev.vigil.format", "dev.vigil.sim",
                "dev.vigil.model");
    }

    @Test
    void trainingDataImportsNeitherTheModelNorTheRuntime() {
        noClasses().that().resideInAnyPackage(TRAINING_DATA).should().dependOnClassesThat()
                .resideInAnyPackage("dev.vigil.model..", "dev.vigil.runtime..").check(classes);
    }

    @Test
    void theModelDoesNotImportTheRuntime() {
        noClasses().that().resideInAPackage("dev.vigil.model..").should().dependOnClassesThat()
                .resideInAPackage("dev.vigil.runtime..").check(classes);
    }

    @Test
    void trainingDataAndTheModelHaveNoPackageCycle() {
        slices().matching("dev.vigil.(*)..").should().beFreeOfCycles().check(lower);
        slices().matching("dev.vigil.model.(*)..").should().beFreeOfCycles().check(lower);
    }

    @Test
    void theRuntimeHasNoPackageCycle() {
        // the runtime's own classes (VigilServer) are a slice of their own, beside its subpackages
        ArchRule rule = slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(
                    JavaClass c) {
                String p = c.getPackageName();
                if (p.equals("dev.vigil.runtime")) {
                    return SliceIdentifier.of("runtime");
                }
                return p.startsWith("dev.vigil.runtime.")
                        ? SliceIdentifier.of(
                        p.substring("dev.vigil.runtime.".length()).split("\\.")[0])
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "runtime packages";
            }
        }).should().beFreeOfCycles().as("the runtime's packages free of cycles");
        rule.check(classes);
    }
}
