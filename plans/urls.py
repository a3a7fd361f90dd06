"""The office pages of the action plan: the plan and its versions (urls_plan.py) and the
progress reports (urls_progress.py)."""

from plans.urls_plan import urlpatterns as plan_patterns
from plans.urls_progress import urlpatterns as progress_patterns

app_name = "plans"
urlpatterns = [*plan_patterns, *progress_patterns]
