"""The office pages of the action plan: the plan and its versions (urls_plan.py), the
progress reports (urls_progress.py) and the year-end evaluation (urls_evaluation.py)."""

from plans.urls_evaluation import urlpatterns as evaluation_patterns
from plans.urls_plan import urlpatterns as plan_patterns
from plans.urls_progress import urlpatterns as progress_patterns

app_name = "plans"
urlpatterns = [*plan_patterns, *progress_patterns, *evaluation_patterns]
