import json

from django.core.management.base import BaseCommand, CommandError

from regional.integrity import integrity_check_names, integrity_checks_run


class Command(BaseCommand):
    help = "Run the database integrity checks: per check a count, the first findings and a recommendation."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="append", dest="names", choices=integrity_check_names())
        parser.add_argument("--details", type=int, default=20, help="Findings listed per check (default 20).")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the results as JSON.")
        parser.add_argument("--fail-on-findings", action="store_true", help="Exit with status 1 on findings.")

    def handle(self, *args, names, details, as_json, fail_on_findings, **options):
        results = integrity_checks_run(names=names, detail_limit=details)
        total = sum(result.count for result in results)
        if as_json:
            self._print_json(results)
        else:
            for result in results:
                self._print_result(result)
            style = self.style.SUCCESS if total == 0 else self.style.ERROR
            self.stdout.write(style(f"{len(results)} checks, {total} findings."))
        if fail_on_findings and total:
            raise CommandError(f"{total} integrity findings.", returncode=1)

    def _print_result(self, result):
        check = result.check
        if result.is_clean:
            self.stdout.write(f"ok    {check.name}: 0")
            return
        self.stdout.write(self.style.ERROR(f"FAIL  {check.name} ({check.severity}): {result.count}"))
        self.stdout.write(f"      {check.title}")
        for line in result.details:
            self.stdout.write(f"      - {line}")
        if result.count > len(result.details):
            self.stdout.write(f"      … and {result.count - len(result.details)} more")
        self.stdout.write(f"      Recommendation: {check.recommendation}")

    def _print_json(self, results):
        self.stdout.write(
            json.dumps(
                [
                    {
                        "name": result.check.name,
                        "title": result.check.title,
                        "severity": result.check.severity,
                        "count": result.count,
                        "details": result.details,
                        "recommendation": result.check.recommendation,
                    }
                    for result in results
                ],
                indent=2,
            )
        )
