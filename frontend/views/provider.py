"""Pages (being built)."""

from django.http import HttpResponse


def claim(request, **kwargs):
    return HttpResponse("todo")


def claim_detail(request, **kwargs):
    return HttpResponse("todo")


def confirm_no_conflict(request, **kwargs):
    return HttpResponse("todo")


def log_hours(request, **kwargs):
    return HttpResponse("todo")


def my_duty(request, **kwargs):
    return HttpResponse("todo")


def my_tasks(request, **kwargs):
    return HttpResponse("todo")


def register(request, **kwargs):
    return HttpResponse("todo")


def withdraw(request, **kwargs):
    return HttpResponse("todo")
