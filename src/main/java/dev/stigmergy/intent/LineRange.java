package dev.stigmergy.intent;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Min;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * A range of lines an intent plans to edit in one file: 1-based, both ends inclusive.
 *
 * @param start first line, ≥ 1
 * @param end   last line, ≥ start (an inverted range answers 400 naming {@code end})
 */
@LineRange.Ordered
public record LineRange(@Min(1) int start, @Min(1) int end) {

    /**
     * Whether two files' declared ranges collide: some range of one is no more than {@code margin} lines
     * away from some range of the other (git's merge keeps 3 lines of context, so hunks closer than that
     * conflict). An absent or empty list means the whole file, which collides with anything. A range read
     * with its ends swapped covers the same lines, so that no stored range can slip past the test.
     */
    public static boolean collide(List<LineRange> a, List<LineRange> b, int margin) {
        if (a == null || a.isEmpty() || b == null || b.isEmpty()) {
            return true;
        }
        for (LineRange x : a) {
            for (LineRange y : b) {
                // lines strictly between the two ranges; negative when they overlap
                int between = Math.max(x.first(), y.first()) - Math.min(x.last(), y.last()) - 1;
                if (between <= margin) {
                    return true;
                }
            }
        }
        return false;
    }

    private int first() {
        return Math.min(start, end);
    }

    private int last() {
        return Math.max(start, end);
    }

    /** {@code end ≥ start}; the violation names {@code end}. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = OrderedValidator.class)
    public @interface Ordered {
        String message() default "must be ≥ start";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /** Checks {@link Ordered}. */
    public static class OrderedValidator implements ConstraintValidator<Ordered, LineRange> {
        @Override
        public boolean isValid(LineRange range, ConstraintValidatorContext context) {
            if (range == null || range.end >= range.start) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("end").addConstraintViolation();
            return false;
        }
    }
}
