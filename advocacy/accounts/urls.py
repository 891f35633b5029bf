from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("me/tokens/", views.ApiTokenListView.as_view(), name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="token_revoke"),
]
