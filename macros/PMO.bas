Attribute VB_Name = "PMO"
' PMO governance add-in: the ribbon side of PMO.xlam.
'
' This file is source: `pmo build-addin` compiles it, with PMOSupport.bas, the
' generated worksheet functions and xlwings' own VBA module, into PMO.xlam.
' Every button on the PMO tab (customUI14.xml) calls PMO_OnAction, the only
' public procedure here. The button's tag says what it needs before Python runs:
'   tag="workbook"  an open workbook to act on (else a message, nothing runs);
'   tag="folder"    a folder, asked for first (Cancel does nothing);
'   no tag          nothing (a blank workbook is opened when none is, because
'                   xlwings' RunPython runs through the active workbook).
' Then addin.excel.ribbon.dispatch runs in Python through xlwings' RunPython with
' the button id and this add-in's versions, which Python checks before anything
' runs. Adding a button is one <button> in customUI14.xml and one handler in
' addin/excel/ribbon.py: nothing changes here.
Option Explicit

Private Const TAG_WORKBOOK As String = "workbook"
Private Const TAG_FOLDER As String = "folder"

' Ribbon callback shared by every PMO button.
Public Sub PMO_OnAction(control As IRibbonControl)
    PMO_Run control.Id, control.Tag
End Sub

' Runs the Python handler of a button, after what its tag asks for.
Private Sub PMO_Run(ByVal controlId As String, ByVal needs As String)
    Dim folder As String
    On Error GoTo failed
    PMO_Log "button " & controlId
    If ActiveWorkbook Is Nothing Then
        If needs = TAG_WORKBOOK Then
            PMO_Tell "No workbook is open. Open the workbook this button works on " & _
                     "(a project tracker, or a portfolio for Dashboard, Resources and " & _
                     "Steering pack), then click it again."
            PMO_Log "button " & controlId & ": no workbook open, nothing run"
            Exit Sub
        End If
        Workbooks.Add
    End If
    If needs = TAG_FOLDER Then
        folder = PMO_PickFolder()
        If Len(folder) = 0 Then
            PMO_Log "button " & controlId & ": no folder chosen"
            Exit Sub
        End If
    End If
    PMO_UseBakedInterpreter True
    RunPython PMO_Command(controlId, folder)
    Exit Sub
failed:
    PMO_Fail "button " & controlId, Err.Number, Err.Description
End Sub

' The Python command for a button: dispatch(id, [folder=...,] addin_version=..., xlwings_version=...).
' Every value goes through PMO_PyString, so the command holds no character that
' cmd.exe, the shell of AppleScript's do shell script or Python would read specially.
Private Function PMO_Command(ByVal controlId As String, ByVal folder As String) As String
    Dim arguments As String
    arguments = PMO_PyString(controlId)
    If Len(folder) > 0 Then arguments = arguments & ", folder=" & PMO_PyString(folder)
    arguments = arguments & ", addin_version=" & PMO_PyString(PMO_ADDIN_VERSION)
    arguments = arguments & ", xlwings_version=" & PMO_PyString(XLWINGS_VERSION)
    PMO_Command = "import addin.excel.ribbon as r; r.dispatch(" & arguments & ")"
End Function

' Asks for a folder: Excel's folder picker on Windows; on macOS, where Excel has
' no folder picker, an input box for the folder's path. Returns "" when cancelled.
' The Windows-only dialog is compiled only on Windows (#If), so the module also
' compiles where the Office library lacks it.
Private Function PMO_PickFolder() As String
    #If Mac Then
        PMO_PickFolder = Trim$(InputBox("Full path of the folder with the project trackers " & _
                                        "to consolidate (e.g. /Users/me/Trackers):", PMO_TITLE))
    #Else
        With Application.FileDialog(msoFileDialogFolderPicker)
            .Title = "PMO - folder with the project trackers to consolidate"
            .AllowMultiSelect = False
            If .Show = -1 Then PMO_PickFolder = .SelectedItems(1)
        End With
    #End If
End Function
