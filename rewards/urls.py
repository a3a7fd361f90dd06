"""The office pages of the rewards app: rounds and candidates (urls_rounds.py), incentives
and commendations (urls_incentives.py)."""

from rewards.urls_incentives import urlpatterns as incentive_patterns
from rewards.urls_rounds import urlpatterns as round_patterns

app_name = "rewards"
urlpatterns = [*round_patterns, *incentive_patterns]
