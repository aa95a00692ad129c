package dev.debuglab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The Java engine's background warm-up takes the paths of a notebook's first cells (an expression, a declaration, a
 * method, a compile error, a guest run and its rendering) and must leave no trace: the user's first expression is
 * still {@code $1}, no warm-up name resolves, and a cell that arrives first stops the warm-up.
 */
class JavaWarmUpTest {

    @Test
    void theWarmUpRunsEveryStepAndLeavesNothingBehind() throws Exception {
        try (JavaEngine engine = new JavaEngine().warm()) {
            assertTrue(engine.awaitWarmUp(300_000), "the warm-up did not end");
            assertEquals(JavaEngine.WARM_UP.size(), engine.warmUpSteps(), "every step ran (nothing asked for the engine)");
            assertTrue(engine.variables().isEmpty(), "the warm-up left variables: " + engine.variables().keySet());
            // the user's first expression is $1, as in a fresh JShell
            assertEquals(2, engine.eval("1+1"));
            assertEquals(2, engine.eval("$1"));
            assertEquals(5, engine.eval("2+3"));
            assertEquals(5, engine.eval("$2"));
            for (String gone : new String[] {"$debuglabWarmUpInt", "$debuglabWarmUp()", "$debuglabWarmUp1", "$debuglabWarmUp6"}) {
                JavaEngine.CellFailure f = assertThrows(JavaEngine.CellFailure.class, () -> engine.eval(gone), gone);
                assertEquals("CompileError", f.error.ename(), gone);
            }
            // a user's own declaration of a warm-up's name is theirs
            engine.eval("int $debuglabWarmUpInt = 1;");
            assertEquals(1, engine.eval("$debuglabWarmUpInt"));
        }
    }

    @Test
    void aCellThatArrivesFirstStopsTheWarmUp() throws Exception {
        try (JavaEngine engine = new JavaEngine().warm()) {
            assertEquals(2, engine.eval("1+1"));
            assertTrue(engine.awaitWarmUp(300_000), "the warm-up did not end");
            assertTrue(engine.warmUpSteps() < JavaEngine.WARM_UP.size(), "the warm-up went on after a cell: " + engine.warmUpSteps() + " steps");
            assertEquals(2, engine.eval("$1"));
            assertEquals(42, engine.eval("6 * 7"));
            assertEquals(42, engine.eval("$2"));
        }
    }
}
