"""Pages (being built)."""

from django.http import HttpResponse


def claim_accept(request, **kwargs):
    return HttpResponse("todo")


def claim_decline(request, **kwargs):
    return HttpResponse("todo")


def desk(request, **kwargs):
    return HttpResponse("todo")


def hours(request, **kwargs):
    return HttpResponse("todo")


def hours_bulk(request, **kwargs):
    return HttpResponse("todo")


def hours_confirm(request, **kwargs):
    return HttpResponse("todo")


def hours_decline(request, **kwargs):
    return HttpResponse("todo")


def task_assign(request, **kwargs):
    return HttpResponse("todo")


def task_cancel(request, **kwargs):
    return HttpResponse("todo")


def task_complete(request, **kwargs):
    return HttpResponse("todo")


def task_edit(request, **kwargs):
    return HttpResponse("todo")


def task_manage(request, **kwargs):
    return HttpResponse("todo")


def task_new(request, **kwargs):
    return HttpResponse("todo")


def task_publish(request, **kwargs):
    return HttpResponse("todo")
