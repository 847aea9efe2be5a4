"""SQL for an opportunity's total that rounds exactly like Python's Decimal.

total = (value − purchase_costs) × success_percent / 100, rounded to the cent,
half away from zero (Decimal's ROUND_HALF_UP). Used by a stored generated
column, so every list, sum and sort reads the same figure.

PostgreSQL has exact NUMERIC arithmetic and ROUND(numeric, 2) already rounds
half away from zero. SQLite has no decimal type: DECIMAL columns hold binary
floats, so its ROUND(x, 2) on 0.125 or on large amounts is not exact. There the
work is done in whole cents with 64-bit integers (exact to far beyond
DecimalField(14, 2)), and only the final cents → units step is a float, which
a 14-digit amount survives (doubles keep 15 significant digits).

Migrations import this class by its path: keep it here.
"""

from django.db.models import DecimalField, Func


class OpportunityTotal(Func):
    """OpportunityTotal(value, costs, percent) → the rounded total."""

    arity = 3
    output_field = DecimalField(max_digits=14, decimal_places=2)

    def _sources(self, compiler, connection):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        return parts, params

    def as_sql(self, compiler, connection, **extra_context):
        (value, costs, percent), params = self._sources(compiler, connection)
        sql = f"ROUND((({value}) - ({costs})) * ({percent}) / 100.0, 2)"
        return sql, params

    def as_sqlite(self, compiler, connection, **extra_context):
        (value, costs, percent), params = self._sources(compiler, connection)
        # Cents times percent: an exact integer, 100 × the total in cents.
        scaled = (
            f"((CAST(ROUND(({value}) * 100) AS INTEGER)"
            f" - CAST(ROUND(({costs}) * 100) AS INTEGER)) * ({percent}))"
        )
        # Integer division truncates toward zero: add half, away from zero.
        cents = (
            f"(CASE WHEN {scaled} >= 0 THEN ({scaled} + 50) / 100"
            f" ELSE -((50 - {scaled}) / 100) END)"
        )
        return f"({cents} / 100.0)", params * 3
