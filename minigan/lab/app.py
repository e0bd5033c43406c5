"""The lab's web app (Starlette, served by uvicorn): the page, its sessions and their live frames.

    GET  /                              the page (minigan/lab/static/index.html)
    GET  /api/defaults?data=&algorithm= the recipe's settings for that data (the page preselects them)
    POST /api/sessions                  {settings} -> {"id", "frame"}: a new session (one per tab)
    POST /api/sessions/{id}/reset       {settings} -> frame: new networks with these settings
    POST /api/sessions/{id}/step        {"action": "d" | "g" | "step", "repeat": n} -> frame
    GET  /api/sessions/{id}/export      the self-contained HTML replay of the session (a download)
    DELETE /api/sessions/{id}           free the session
    WS   /api/sessions/{id}/live        Play: {"type": "play", "speed": n} / "pause" / "speed" / "ack";
                                        the server sends {"type": "frame", "frame"} and {"type": "paused"}.
                                        The tab's socket closing frees its session.
    GET  /api/games?game=&lr=&steps=    the games tab's paths (minigan.games)

A bad request gets HTTP 400 (404 for an unknown session, 409 for a diverged one) with {"error": message}.
Training runs in a worker thread, so the server keeps serving other tabs while a session computes.
"""
import asyncio
import contextlib
import json
import os

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocketDisconnect

from minigan.lab import algorithms, export, games_tab, settings
from minigan.lab.session import SessionError, Sessions

STATIC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
MAX_SPEED = 100            # iterations per frame during Play
IN_FLIGHT = 2              # frames sent but not yet drawn (acknowledged) by the page during Play


def error(status, message):
    return JSONResponse({"error": message}, status_code=status)


async def body(request):
    try:
        value = json.loads(await request.body() or b"{}")
    except RecursionError:     # a body nested thousands of levels deep
        raise settings.SettingsError("the request body is nested too deeply: send a flat JSON object") from None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise settings.SettingsError("the request body must be a JSON object")
    return value


def number(request, name, default, kind=float):
    text = request.query_params.get(name)
    if text is None:
        return default
    try:
        return kind(text)
    except ValueError:
        whole = "whole " if kind is int else ""
        raise settings.SettingsError(f"{name} must be a {whole}number, got {text!r}") from None


def create_app(idle_timeout=900.0, sweep_every=30.0):
    """The app; sessions idle for `idle_timeout` seconds are freed (checked every `sweep_every`)."""
    sessions = Sessions(idle_timeout)
    players = {}                      # session id -> the task that plays it

    def session_of(request):
        try:
            return sessions.get(request.path_params["id"])
        except KeyError:
            raise HTTPException(404, "this session is gone (closed, or freed after a while without use): "
                                     "reload the page") from None

    async def index(request):
        return FileResponse(os.path.join(STATIC, "index.html"))

    async def defaults(request):
        data_name = request.query_params.get("data", "ring")
        algorithm = request.query_params.get("algorithm", "gan")
        settings.check({"data": data_name, "algorithm": algorithm, "centers": [[0.0, 0.0]]})
        data = settings.dataset(data_name, [[0.0, 0.0]], n_samples=1)
        return JSONResponse({"settings": algorithms.defaults(data, algorithm), "plane": list(settings.plane(data))})

    async def create(request):
        config = await body(request)
        session = await run_in_threadpool(sessions.create, config)
        session.lock = asyncio.Lock()
        frame = await run_in_threadpool(session.first_frame)
        return JSONResponse({"id": session.id, "frame": frame}, status_code=201)

    async def reset(request):
        session, config = session_of(request), await body(request)
        await stop(session.id)
        async with session.lock:
            frame = await run_in_threadpool(session.reset, config)
        return JSONResponse(frame)

    async def step(request):
        session, request_body = session_of(request), await body(request)
        async with session.lock:
            frame = await run_in_threadpool(session.update, request_body.get("action"),
                                            request_body.get("repeat", 1))
        return JSONResponse(frame)

    async def export_session(request):
        session = session_of(request)
        async with session.lock:
            html = await run_in_threadpool(export.html, session.scene(), session.recorded)
        name = f"minigan-lab-{session.config['data']}-{session.kind}-{session.iterations}.html"
        return Response(html, media_type="text/html; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def close(request):
        await stop(request.path_params["id"])
        sessions.close(request.path_params["id"])
        return Response(status_code=204)

    async def game_paths(request):
        game = request.query_params.get("game", "bilinear")
        lr, steps = number(request, "lr", 0.1), number(request, "steps", 300, int)
        return JSONResponse(await run_in_threadpool(games_tab.paths, game, lr, steps))

    async def stop(session_id):
        """End the session's Play after the frame it is computing (which is still sent)."""
        player = players.pop(session_id, None)
        if player is not None:
            task, control = player
            control["playing"] = False
            control["credits"].release()                # wake it if it waits for an acknowledgement
            await task

    async def play(websocket, session, control):
        """Frames of control["speed"] iterations, each sent once the page has drawn all but
        IN_FLIGHT - 1 of the earlier ones (it acknowledges each frame it draws)."""
        try:
            while control["playing"]:
                await control["credits"].acquire()
                if not control["playing"]:
                    break
                async with session.lock:
                    frame = await run_in_threadpool(session.update, "step", control["speed"],
                                                    lambda: not control["playing"])
                await websocket.send_json({"type": "frame", "frame": frame})
                if frame["diverged"]:
                    await websocket.send_json({"type": "paused", "reason": frame["diverged"]})
                    break
        except SessionError as e:
            await websocket.send_json({"type": "paused", "reason": str(e)})
        except (WebSocketDisconnect, RuntimeError, OSError):
            return                     # the socket closed under it: `live` frees the session
        finally:
            if players.get(session.id, (None,))[0] is asyncio.current_task():
                players.pop(session.id)

    async def live(websocket):
        session_id = websocket.path_params["id"]
        await websocket.accept()
        if session_id not in sessions.by_id:
            await websocket.close(code=4404, reason="unknown session")
            return
        control = {"speed": 1, "playing": False, "credits": asyncio.Semaphore(IN_FLIGHT)}
        try:
            while True:
                message = await websocket.receive_json()
                session = sessions.get(session_id)
                kind = message.get("type")
                if kind in ("play", "speed"):
                    control["speed"] = max(1, min(MAX_SPEED, int(message.get("speed", control["speed"]))))
                if kind == "play" and session_id not in players:
                    control = {**control, "playing": True, "credits": asyncio.Semaphore(IN_FLIGHT)}
                    players[session_id] = (asyncio.create_task(play(websocket, session, control)), control)
                elif kind == "pause":
                    await stop(session_id)
                    await websocket.send_json({"type": "paused", "reason": None})
                elif kind == "ack":
                    control["credits"].release()
        except (WebSocketDisconnect, RuntimeError, KeyError, ValueError, TypeError, AttributeError):
            pass                                # the tab closed (or sent what is not a message of this protocol)
        finally:
            await stop(session_id)
            sessions.close(session_id)          # the tab is gone: so is its session

    async def sweeper():
        while True:
            await asyncio.sleep(sweep_every)
            for session_id in sessions.sweep():
                await stop(session_id)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        task = asyncio.create_task(sweeper())
        try:
            yield
        finally:
            task.cancel()
            for session_id in list(players):
                await stop(session_id)
            sessions.by_id.clear()

    async def bad_settings(request, exc):
        return error(400, str(exc))

    async def conflict(request, exc):
        return error(409, str(exc))

    async def http_error(request, exc):
        return error(exc.status_code, exc.detail)

    routes = [Route("/", index), Route("/api/defaults", defaults), Route("/api/sessions", create, methods=["POST"]),
              Route("/api/sessions/{id}", close, methods=["DELETE"]),
              Route("/api/sessions/{id}/reset", reset, methods=["POST"]),
              Route("/api/sessions/{id}/step", step, methods=["POST"]),
              Route("/api/sessions/{id}/export", export_session), Route("/api/games", game_paths),
              WebSocketRoute("/api/sessions/{id}/live", live), Mount("/static", StaticFiles(directory=STATIC))]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={settings.SettingsError: bad_settings, SessionError: conflict,
                                        HTTPException: http_error})
    app.state.sessions = sessions
    return app
