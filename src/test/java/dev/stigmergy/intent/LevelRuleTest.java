package dev.stigmergy.intent;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.stigmergy.intent.LevelRule.Judgement;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LevelRuleTest {

    // every cell of the level table; priorities 5 vs 5 unless the cell is about priority
    @ParameterizedTest(name = "N=L{0} p{1} over E=L{2} p{3} → {4}")
    @CsvSource({
            "1,5,1,5,WARN", "2,5,1,5,WARN", "3,5,1,5,WARN", "4,5,1,5,WARN",
            "1,5,2,5,WARN", "2,5,2,5,WARN", "3,5,2,5,WARN", "4,5,2,5,DENY",
            "1,5,3,5,WARN", "2,5,3,5,WARN", "3,5,3,5,DENY", "4,5,3,5,DENY",
            "1,5,4,5,DENY", "2,5,4,5,DENY", "3,5,4,5,DENY", "4,5,4,5,DENY",
            // L3 against L3: higher priority wins, a tie goes to the earlier intent
            "3,6,3,5,PREEMPT", "3,4,3,5,DENY", "3,10,3,9,PREEMPT",
            // priority never beats L4, and never lets N=L4 through over L2+
            "3,10,4,1,DENY", "4,10,3,1,DENY", "4,10,2,1,DENY",
    })
    void everyCellOfTheLevelTable(int newLevel, int newPriority, int existingLevel, int existingPriority, Judgement expected) {
        assertEquals(expected, LevelRule.judge(newLevel, newPriority, existingLevel, existingPriority));
    }
}
